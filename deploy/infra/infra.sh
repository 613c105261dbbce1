#!/usr/bin/env bash
# Local infrastructure for development and tests, from Maven Central artifacts only (no Docker):
#   - Apache Kafka 4.4.0, one KRaft node (combined broker + controller) on 127.0.0.1
#   - Apicurio Registry (Confluent-compatible API under /apis/ccompat/v7), in-memory, on 127.0.0.1
#
#   ./strata infra start    fetch the servers once (Maven), start both, wait until they answer
#   ./strata infra status   each server: pid, port, ready or not (exit 0 only when both are ready)
#   ./strata infra stop     stop both (TERM, then KILL after a timeout); safe to repeat
#
# Everything lives under target/infra/ of the repository (gitignored); pid files, logs and the
# client settings file (run/env, KEY=value lines: read it, never source or eval it) under
# target/infra/run/. State is NOT kept: every start formats a fresh Kafka log directory, and the
# registry stores schemas in memory (ids restart from 1 on every start).
#
# Environment:
#   STRATA_KAFKA_PORT                Kafka listener port (default 9092)
#   STRATA_KAFKA_CONTROLLER_PORT     KRaft controller port (default 9093)
#   STRATA_REGISTRY_PORT             registry HTTP port (default 8081)
#   STRATA_REGISTRY_MANAGEMENT_PORT  registry 3.x management port: /health (default 9000)
#   STRATA_REGISTRY_JAVA_HOME        JDK that runs the registry: 21+ runs Apicurio 3.3.3, 17-20 runs
#                                    the 2.6.13.Final fallback. Unset: JAVA_HOME if 21+, else the
#                                    newest JDK 21+ found in the usual install folders, else the
#                                    fallback on the Java 17 that runs Kafka.
#   STRATA_INFRA_START_TIMEOUT       seconds to wait for each server to be ready (default 180)
#   STRATA_INFRA_STOP_TIMEOUT        seconds to wait after TERM before KILL (default 30)
#   STRATA_KAFKA_JAVA_OPTS, STRATA_REGISTRY_JAVA_OPTS   extra JVM options (appended)
#   STRATA_INFRA_MAVEN_ARGS          extra Maven arguments for the one-time fetch (e.g. -o)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA_SRC="$ROOT/deploy/infra"
INFRA_DIR="$ROOT/target/infra"
RUN_DIR="$INFRA_DIR/run"
KAFKA_HOME="$INFRA_DIR/kafka"
ENV_FILE="$RUN_DIR/env"

KAFKA_VERSION=4.4.0
REGISTRY_VERSION=3.3.3
REGISTRY_FALLBACK_VERSION=2.6.13.Final
# A fixed KRaft cluster id (22-character base64 of 16 bytes): the log directory is wiped and
# formatted anew on every start anyway.
CLUSTER_ID=U3RyYXRhTG9jYWxJbmZyYQ

KAFKA_PORT="${STRATA_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${STRATA_KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${STRATA_REGISTRY_PORT:-8081}"
MANAGEMENT_PORT="${STRATA_REGISTRY_MANAGEMENT_PORT:-9000}"
START_TIMEOUT="${STRATA_INFRA_START_TIMEOUT:-180}"
STOP_TIMEOUT="${STRATA_INFRA_STOP_TIMEOUT:-30}"

# Every JVM started here carries this marker, so that stop/status recognise our processes (and
# only ours: another checkout has another INFRA_DIR) even if a pid file is lost or its pid reused.
MARKER="-Dstrata.infra.home=$INFRA_DIR"

say() { echo "strata infra: $*"; }
warn() { echo "strata infra: $*" >&2; }
die() { echo "strata infra: $*" >&2; exit 1; }

usage() {
  cat <<EOF
usage: ./strata infra start|stop|status

  start   fetch Kafka $KAFKA_VERSION and Apicurio Registry once (Maven), start both on 127.0.0.1,
          wait until both answer, print the client settings and write them to
          target/infra/run/env. Kafka's data is wiped on every start; the registry is in-memory.
  status  each server with pid, port, ready or not; exit 0 only when both are ready
  stop    stop both servers (TERM, then KILL after ${STOP_TIMEOUT}s); safe to repeat

Ports: STRATA_KAFKA_PORT ($KAFKA_PORT), STRATA_KAFKA_CONTROLLER_PORT ($CONTROLLER_PORT),
       STRATA_REGISTRY_PORT ($REGISTRY_PORT), STRATA_REGISTRY_MANAGEMENT_PORT ($MANAGEMENT_PORT)
Registry JDK: STRATA_REGISTRY_JAVA_HOME (21+ runs $REGISTRY_VERSION; otherwise $REGISTRY_FALLBACK_VERSION)
Logs: target/infra/run/kafka.log, target/infra/run/registry.log
EOF
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# Processes

# Alive and not a zombie (a server that died under this script stays a zombie until we exit).
is_alive() {
  local st
  st="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -n "$st" && "$st" != Z* ]]
}

# The command line of pid $1 shows that it is our server $2.
is_ours() {
  local args
  args="$(ps -ww -o args= -p "$1" 2>/dev/null || true)"
  [[ "$args" == *"$MARKER "* && "$args" == *"-Dstrata.infra.server=$2 "* ]]
}

# Pid of our running server $1, or nothing: from its pid file, else (pid file lost or stale) by
# the marker on the command line, in which case the pid file is written again.
running_pid() {
  local f="$RUN_DIR/$1.pid" pid=""
  [[ -f "$f" ]] && pid="$(tr -dc '0-9' <"$f")"
  if [[ -n "$pid" ]] && is_alive "$pid" && is_ours "$pid" "$1"; then
    echo "$pid"
    return 0
  fi
  rm -f "$f"
  pid="$(all_pids "$1" | awk 'NR == 1')"
  if [[ -n "$pid" ]] && is_alive "$pid"; then
    [[ -d "$RUN_DIR" ]] && echo "$pid" >"$f"
    echo "$pid"
  fi
  return 0
}

# Pids of every process of ours for server $1, with or without a pid file.
all_pids() {
  ps -ww -eo pid=,args= 2>/dev/null \
    | awk -v m="$MARKER " -v s="-Dstrata.infra.server=$1 " \
      '$2 ~ /(^|\/)java$/ && index($0, m) && index($0, s) { print $1 }'
}

# Starts "$@" detached from this shell (own session, immune to hang-ups): the process writes its
# own pid before exec'ing java, so the pid file holds the java process itself.
launch() {
  local name="$1" log="$2"
  shift 2
  rm -f "$RUN_DIR/$name.pid"
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  (
    cd "$RUN_DIR"
    # shellcheck disable=SC2016  # $$, $0 and $@ belong to the inner bash
    exec nohup "${detach[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/$name.pid" "$@"
  ) >"$log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -s "$RUN_DIR/$name.pid" ]] && return 0
    sleep 0.05
  done
  die "$name: no pid file after launch; see $log"
}

stop_pid() {
  local name="$1" pid="$2" i
  is_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
    is_alive "$pid" || { say "$name stopped (pid $pid)"; return 0; }
    sleep 0.2
  done
  warn "$name (pid $pid) still running ${STOP_TIMEOUT}s after TERM: sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    is_alive "$pid" || { say "$name killed (pid $pid)"; return 0; }
    sleep 0.1
  done
  warn "$name (pid $pid) survived KILL"
  return 1
}

stop_server() {
  local name="$1" pid found=0
  for pid in $(running_pid "$name") $(all_pids "$name"); do
    found=1
    stop_pid "$name" "$pid" || true
  done
  rm -f "$RUN_DIR/$name.pid" "$RUN_DIR/$name.info"
  [[ "$found" == 1 ]] || say "$name not running"
}

# ---------------------------------------------------------------------------------------------
# Ports

check_port_number() {
  if ! [[ "$2" =~ ^[0-9]{1,5}$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
    die "$1=$2 is not a port number"
  fi
}

# shellcheck disable=SC2016  # $0 belongs to the inner bash
port_accepts() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
  else
    bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
  fi
}

# In use: something accepts on 127.0.0.1:PORT, or something listens on that port at an address
# that covers it (ss, when available).
port_in_use() {
  port_accepts "$1" && return 0
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null | awk '$4 ~ /^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]):/')" ]] \
      && return 0
  fi
  return 1
}

# $1 = what, $2 = port, $3 = env var that changes it
require_free_port() {
  if port_in_use "$2"; then
    local who=""
    command -v ss >/dev/null 2>&1 && who="$(ss -Hltnp "sport = :$2" 2>/dev/null | head -1 || true)"
    die "port $2 ($1) on 127.0.0.1 is already in use${who:+: $who}
  stop what listens there, or choose another port: $3=<port> ./strata infra start"
  fi
}

# ---------------------------------------------------------------------------------------------
# Java

# Major version of the java executable $1 (from the JDK's release file, else by asking it).
java_major() {
  local bin home v=""
  bin="$(readlink -f "$1" 2>/dev/null || echo "$1")"
  home="$(dirname "$(dirname "$bin")")"
  if [[ -r "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [[ -z "$v" ]]; then
    v="$("$bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  fi
  v="${v#1.}"
  v="${v%%[!0-9]*}"
  echo "${v:-0}"
}

# Sets KAFKA_JAVA (17+): JAVA_HOME, else java on the PATH.
find_kafka_java() {
  local j=""
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    j="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    j="$(command -v java)"
  fi
  [[ -n "$j" ]] || die "no Java found (JAVA_HOME unset and no 'java' on the PATH): install a JDK 17 or newer"
  local m
  m="$(java_major "$j")"
  ((m >= 17)) || die "Kafka $KAFKA_VERSION needs Java 17 or newer; $j is Java $m (set JAVA_HOME)"
  KAFKA_JAVA="$j"
  KAFKA_JAVA_MAJOR="$m"
}

# Sets REGISTRY_JAVA, REGISTRY_JAVA_MAJOR and REGISTRY_APP_VERSION (3.3.3 on 21+, else fallback).
find_registry_java() {
  local j m best="" best_m=0 c
  if [[ -n "${STRATA_REGISTRY_JAVA_HOME:-}" ]]; then
    j="$STRATA_REGISTRY_JAVA_HOME/bin/java"
    [[ -x "$j" ]] || die "STRATA_REGISTRY_JAVA_HOME=$STRATA_REGISTRY_JAVA_HOME has no bin/java"
    m="$(java_major "$j")"
    ((m >= 17)) || die "STRATA_REGISTRY_JAVA_HOME is Java $m: the registry needs 17+ (21+ for $REGISTRY_VERSION)"
    best="$j" best_m="$m"
  else
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
      m="$(java_major "$JAVA_HOME/bin/java")"
      ((m >= 21)) && best="$JAVA_HOME/bin/java" best_m="$m"
    fi
    if [[ -z "$best" ]] && command -v java >/dev/null 2>&1; then
      m="$(java_major "$(command -v java)")"
      ((m >= 21)) && best="$(command -v java)" best_m="$m"
    fi
    if [[ -z "$best" ]]; then
      # The newest JDK 21+ in the usual install folders.
      shopt -s nullglob
      for c in /usr/lib/jvm/*/bin/java /usr/java/*/bin/java /opt/java/*/bin/java /opt/jdk*/bin/java \
        "$HOME"/.sdkman/candidates/java/*/bin/java "$HOME"/.jdks/*/bin/java \
        /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
        [[ -x "$c" ]] || continue
        m="$(java_major "$c")"
        ((m >= 21 && m > best_m)) && best="$c" best_m="$m"
      done
      shopt -u nullglob
    fi
  fi
  if [[ -n "$best" && "$best_m" -ge 21 ]]; then
    REGISTRY_JAVA="$best" REGISTRY_JAVA_MAJOR="$best_m" REGISTRY_APP_VERSION="$REGISTRY_VERSION"
  elif [[ -n "$best" ]]; then
    warn "STRATA_REGISTRY_JAVA_HOME is Java $best_m: Apicurio Registry $REGISTRY_VERSION needs Java 21+."
    warn "Using the fallback Apicurio Registry $REGISTRY_FALLBACK_VERSION (it runs on Java 17)."
    REGISTRY_JAVA="$best" REGISTRY_JAVA_MAJOR="$best_m" REGISTRY_APP_VERSION="$REGISTRY_FALLBACK_VERSION"
  else
    warn "no JDK 21+ found (looked at STRATA_REGISTRY_JAVA_HOME, JAVA_HOME, the PATH, /usr/lib/jvm,"
    warn "/usr/java, /opt, ~/.sdkman, ~/.jdks): Apicurio Registry $REGISTRY_VERSION needs Java 21+."
    warn "Using the fallback Apicurio Registry $REGISTRY_FALLBACK_VERSION on Java $KAFKA_JAVA_MAJOR."
    warn "To use $REGISTRY_VERSION, install a JDK 21+ or point STRATA_REGISTRY_JAVA_HOME at one."
    REGISTRY_JAVA="$KAFKA_JAVA" REGISTRY_JAVA_MAJOR="$KAFKA_JAVA_MAJOR"
    REGISTRY_APP_VERSION="$REGISTRY_FALLBACK_VERSION"
  fi
}

# ---------------------------------------------------------------------------------------------
# Artifacts (fetched once; a marker holds the checksum of the pom that fetched them)

pom_sum() { cksum <"$1" | awk '{ print $1 }'; }

# $1 = label, $2 = pom, $3 = output folder, $4... = extra Maven arguments
resolve() {
  local label="$1" pom="$2" out="$3"
  shift 3
  local marker="$out/.strata-resolved" want
  want="$(pom_sum "$pom") $*"
  if [[ -f "$marker" && "$(cat "$marker")" == "$want" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "no 'mvn' on the PATH: Apache Maven 3.8+ is needed once to fetch
  $label from Maven Central into target/infra/ (install Maven, then run this again)"
  say "fetching $label from Maven Central (once; later starts reuse target/infra/)..."
  local log t0
  log="$INFRA_DIR/fetch-$(basename "$out").log"
  t0="$(now)"
  rm -rf "$out"
  mkdir -p "$INFRA_DIR"
  local extra=()
  [[ -n "${STRATA_INFRA_MAVEN_ARGS:-}" ]] && read -ra extra <<<"$STRATA_INFRA_MAVEN_ARGS"
  # Maven's output only goes to a log (it prints ANSI codes even in batch mode).
  if ! mvn -B -q -f "$pom" "$@" "${extra[@]}" generate-resources >"$log" 2>&1; then
    tail -30 "$log" >&2
    die "fetching $label failed; full Maven log: ${log#"$ROOT"/}"
  fi
  echo "$want" >"$marker"
  rm -f "$log"
  say "fetched $label in $(elapsed "$t0")s"
}

resolve_kafka() {
  resolve "Kafka $KAFKA_VERSION" "$INFRA_SRC/kafka/pom.xml" "$KAFKA_HOME"
  [[ -f "$KAFKA_HOME/lib/kafka_2.13-$KAFKA_VERSION.jar" ]] \
    || die "Kafka jars missing under target/infra/kafka/lib after the fetch"
}

resolve_registry() {
  resolve "Apicurio Registry $REGISTRY_APP_VERSION" "$INFRA_SRC/registry/pom.xml" \
    "$INFRA_DIR/registry/$REGISTRY_APP_VERSION" "-Dregistry.version=$REGISTRY_APP_VERSION"
}

# ---------------------------------------------------------------------------------------------
# Kafka

kafka_tool() {
  "$KAFKA_JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$INFRA_SRC/kafka/log4j2.properties" \
    -Dstrata.log.level=warn -Dstrata.log.target=SYSTEM_ERR \
    -cp "$KAFKA_HOME/lib/*:$KAFKA_HOME/tools/*" "$@"
}

start_kafka() {
  local data="$RUN_DIR/kafka-data" props="$RUN_DIR/kafka-server.properties"
  say "kafka: wiping its state ($(realpath --relative-to="$ROOT" "$data" 2>/dev/null || echo "$data")): every start begins empty"
  rm -rf "$data"
  cat >"$props" <<EOF
# Written by deploy/infra/infra.sh on every start: one KRaft node, broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
  if ! kafka_tool kafka.tools.StorageTool format --standalone -t "$CLUSTER_ID" -c "$props" \
    >"$RUN_DIR/kafka-format.log" 2>&1; then
    tail -20 "$RUN_DIR/kafka-format.log" >&2
    die "kafka: formatting the log directory failed (target/infra/run/kafka-format.log)"
  fi
  local opts=()
  [[ -n "${STRATA_KAFKA_JAVA_OPTS:-}" ]] && read -ra opts <<<"$STRATA_KAFKA_JAVA_OPTS"
  launch kafka "$RUN_DIR/kafka.log" "$KAFKA_JAVA" -Xmx1g -XX:TieredStopAtLevel=1 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$INFRA_SRC/kafka/log4j2.properties" \
    "$MARKER" -Dstrata.infra.server=kafka "${opts[@]}" \
    -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$props"
  printf 'port=%s\ncontroller.port=%s\nversion=%s\njava=%s\n' \
    "$KAFKA_PORT" "$CONTROLLER_PORT" "$KAFKA_VERSION" "$KAFKA_JAVA_MAJOR" >"$RUN_DIR/kafka.info"
  say "kafka: starting (pid $(cat "$RUN_DIR/kafka.pid"), Java $KAFKA_JAVA_MAJOR), log: target/infra/run/kafka.log"
}

# Ready = the listener accepts AND a metadata request (list topics) succeeds.
kafka_metadata_ok() {
  local t=()
  command -v timeout >/dev/null 2>&1 && t=(timeout 30)
  "${t[@]}" "$KAFKA_JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$INFRA_SRC/kafka/log4j2.properties" \
    -Dstrata.log.level=error -Dstrata.log.target=SYSTEM_ERR \
    -cp "$KAFKA_HOME/lib/*:$KAFKA_HOME/tools/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$1" --list >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# Registry

registry_is_v3() { [[ "$1" == 3.* ]]; }

start_registry() {
  local home="$INFRA_DIR/registry/$REGISTRY_APP_VERSION" opts=() args=()
  [[ -n "${STRATA_REGISTRY_JAVA_OPTS:-}" ]] && read -ra opts <<<"$STRATA_REGISTRY_JAVA_OPTS"
  if registry_is_v3 "$REGISTRY_APP_VERSION"; then
    [[ -f "$home/quarkus-run.jar" ]] || die "registry: $home/quarkus-run.jar missing"
    args=(-Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MANAGEMENT_PORT"
      -Dapicurio.rules.global.compatibility=BACKWARD
      -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2
      -jar "$home/quarkus-run.jar")
  else
    local jar="$home/apicurio-registry-app-$REGISTRY_APP_VERSION-runner.jar"
    [[ -f "$jar" ]] || die "registry: $jar missing"
    args=(-Dregistry.rules.global.compatibility=BACKWARD -jar "$jar")
  fi
  launch registry "$RUN_DIR/registry.log" "$REGISTRY_JAVA" -Xmx512m -XX:TieredStopAtLevel=1 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    "$MARKER" -Dstrata.infra.server=registry "${opts[@]}" "${args[@]}"
  printf 'port=%s\nmanagement.port=%s\nversion=%s\njava=%s\n' "$REGISTRY_PORT" \
    "$(registry_is_v3 "$REGISTRY_APP_VERSION" && echo "$MANAGEMENT_PORT" || echo "$REGISTRY_PORT")" \
    "$REGISTRY_APP_VERSION" "$REGISTRY_JAVA_MAJOR" >"$RUN_DIR/registry.info"
  say "registry: starting Apicurio Registry $REGISTRY_APP_VERSION (pid $(cat "$RUN_DIR/registry.pid"), Java $REGISTRY_JAVA_MAJOR, in-memory storage), log: target/infra/run/registry.log"
}

http_code() {
  curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$1" 2>/dev/null || true
}

# Ready = the ccompat API lists subjects (200) AND the health check says ready (200).
registry_ready() {
  local port="$1" mport="$2"
  [[ "$(http_code "http://127.0.0.1:$port/apis/ccompat/v7/subjects")" == 200 ]] \
    && [[ "$(http_code "http://127.0.0.1:$mport/health/ready")" == 200 ]]
}

# The global compatibility level as the ccompat API reports it must be BACKWARD (Confluent's
# default). 3.x reports the -Dapicurio.rules.global.compatibility rule; 2.x enforces its
# -Dregistry.rules.global.compatibility rule but reports NONE until it is set through the API.
ensure_backward() {
  local url="http://127.0.0.1:$1/apis/ccompat/v7/config" level
  level="$(curl -s --max-time 5 "$url" | sed -n 's/.*"compatibilityLevel" *: *"\([A-Z_]*\)".*/\1/p')"
  [[ "$level" == BACKWARD ]] && return 0
  curl -s -o /dev/null --max-time 5 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    --data '{"compatibility":"BACKWARD"}' "$url" || true
  level="$(curl -s --max-time 5 "$url" | sed -n 's/.*"compatibilityLevel" *: *"\([A-Z_]*\)".*/\1/p')"
  [[ "$level" == BACKWARD ]] || fail_start registry "global compatibility is '${level:-unknown}', not BACKWARD ($url)"
}

# ---------------------------------------------------------------------------------------------
# Settings files

# Reads key $2 from a KEY=value file $1 (no sourcing).
info_get() {
  [[ -f "$1" ]] || return 0
  sed -n "s/^$2=//p" "$1" | head -1
}

registry_api_path() { registry_is_v3 "$1" && echo /apis/registry/v3 || echo /apis/registry/v2; }

write_env() {
  local kport rport rver
  kport="$(info_get "$RUN_DIR/kafka.info" port)"
  rport="$(info_get "$RUN_DIR/registry.info" port)"
  rver="$(info_get "$RUN_DIR/registry.info" version)"
  {
    echo "bootstrap.servers=127.0.0.1:$kport"
    echo "schema.registry.url=http://127.0.0.1:$rport/apis/ccompat/v7"
    echo "apicurio.registry.url=http://127.0.0.1:$rport$(registry_api_path "$rver")"
    echo "registry.version=$rver"
  } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

print_urls() {
  echo
  echo "  bootstrap.servers=$(info_get "$ENV_FILE" bootstrap.servers)"
  echo "  schema.registry.url=$(info_get "$ENV_FILE" schema.registry.url)"
  echo
  echo "  (also in target/infra/run/env; stop with: ./strata infra stop)"
}

# ---------------------------------------------------------------------------------------------
# Commands

STARTED=()

# On a failed start: stop what this invocation started, show the server's log, exit 1.
fail_start() {
  local name="$1" msg="$2" log="$RUN_DIR/$1.log"
  warn "$name: $msg"
  if [[ -f "$log" ]]; then
    warn "last lines of ${log#"$ROOT"/}:"
    tail -25 "$log" | sed 's/^/    /' >&2
  fi
  local s
  for s in "${STARTED[@]}"; do
    stop_server "$s" >&2
  done
  rm -f "$ENV_FILE"
  exit 1
}

wait_kafka() {
  local pid t0="$1" port
  pid="$(cat "$RUN_DIR/kafka.pid")"
  port="$(info_get "$RUN_DIR/kafka.info" port)"
  while :; do
    is_alive "$pid" || fail_start kafka "the broker exited during start"
    if port_accepts "$port" && kafka_metadata_ok "$port"; then
      say "kafka: ready on 127.0.0.1:$port (metadata request answered) after $(elapsed "$t0")s"
      return 0
    fi
    awk -v a="$t0" -v b="$(now)" -v t="$START_TIMEOUT" 'BEGIN { exit !(b - a > t) }' \
      && fail_start kafka "not ready after ${START_TIMEOUT}s (STRATA_INFRA_START_TIMEOUT)"
    sleep 0.5
  done
}

wait_registry() {
  local pid t0="$1" port mport
  pid="$(cat "$RUN_DIR/registry.pid")"
  port="$(info_get "$RUN_DIR/registry.info" port)"
  mport="$(info_get "$RUN_DIR/registry.info" management.port)"
  while :; do
    is_alive "$pid" || fail_start registry "the registry exited during start"
    if registry_ready "$port" "$mport"; then
      say "registry: ready on http://127.0.0.1:$port (ccompat subjects 200, health ready) after $(elapsed "$t0")s"
      return 0
    fi
    awk -v a="$t0" -v b="$(now)" -v t="$START_TIMEOUT" 'BEGIN { exit !(b - a > t) }' \
      && fail_start registry "not ready after ${START_TIMEOUT}s (STRATA_INFRA_START_TIMEOUT)"
    sleep 0.5
  done
}

cmd_start() {
  local t0 kpid rpid
  t0="$(now)"
  mkdir -p "$RUN_DIR"
  check_port_number STRATA_KAFKA_PORT "$KAFKA_PORT"
  check_port_number STRATA_KAFKA_CONTROLLER_PORT "$CONTROLLER_PORT"
  check_port_number STRATA_REGISTRY_PORT "$REGISTRY_PORT"
  check_port_number STRATA_REGISTRY_MANAGEMENT_PORT "$MANAGEMENT_PORT"
  [[ "$(printf '%s\n' "$KAFKA_PORT" "$CONTROLLER_PORT" "$REGISTRY_PORT" "$MANAGEMENT_PORT" | sort -u | wc -l)" -eq 4 ]] \
    || die "the four ports must differ: STRATA_KAFKA_PORT=$KAFKA_PORT STRATA_KAFKA_CONTROLLER_PORT=$CONTROLLER_PORT STRATA_REGISTRY_PORT=$REGISTRY_PORT STRATA_REGISTRY_MANAGEMENT_PORT=$MANAGEMENT_PORT"
  command -v curl >/dev/null 2>&1 || die "no 'curl' on the PATH: it checks that the registry is ready (install curl)"

  kpid="$(running_pid kafka)"
  rpid="$(running_pid registry)"
  [[ -n "$kpid" ]] && say "kafka already running (pid $kpid): left as it is (its data is kept; stop first for a fresh one)"
  [[ -n "$rpid" ]] && say "registry already running (pid $rpid): left as it is"

  # Fail fast, before fetching or starting anything, when a port we need is taken.
  if [[ -z "$kpid" ]]; then
    require_free_port "Kafka listener" "$KAFKA_PORT" STRATA_KAFKA_PORT
    require_free_port "Kafka controller" "$CONTROLLER_PORT" STRATA_KAFKA_CONTROLLER_PORT
  fi

  find_kafka_java
  if [[ -z "$rpid" ]]; then
    find_registry_java
    require_free_port "registry HTTP" "$REGISTRY_PORT" STRATA_REGISTRY_PORT
    if registry_is_v3 "$REGISTRY_APP_VERSION"; then
      require_free_port "registry management" "$MANAGEMENT_PORT" STRATA_REGISTRY_MANAGEMENT_PORT
    fi
  fi

  [[ -z "$kpid" ]] && resolve_kafka
  [[ -z "$rpid" ]] && resolve_registry

  local tk="" tr=""
  # The registry first: its start overlaps Kafka's log-directory formatting (a JVM of its own).
  if [[ -z "$rpid" ]]; then
    tr="$(now)"
    start_registry
    STARTED+=(registry)
  fi
  if [[ -z "$kpid" ]]; then
    tk="$(now)"
    start_kafka
    STARTED+=(kafka)
  fi
  # Both JVMs start side by side; wait for each in turn (also for one that was already running:
  # it may have been started a moment ago).
  wait_kafka "${tk:-$t0}"
  wait_registry "${tr:-$t0}"
  [[ -n "$rpid" ]] || ensure_backward "$REGISTRY_PORT"

  write_env
  say "all ready in $(elapsed "$t0")s"
  print_urls
}

cmd_stop() {
  stop_server registry
  stop_server kafka
  rm -f "$ENV_FILE"
  local left
  left="$(all_pids kafka; all_pids registry)"
  if [[ -n "$left" ]]; then
    die "still running after stop: $(echo "$left" | tr '\n' ' ')"
  fi
  say "nothing of ours is running"
}

cmd_status() {
  local all_ready=1 pid port mport ver jv
  pid="$(running_pid kafka)"
  if [[ -n "$pid" ]]; then
    port="$(info_get "$RUN_DIR/kafka.info" port)"
    jv="$(info_get "$RUN_DIR/kafka.info" java)"
    if port_accepts "$port" && grep -q "Kafka Server started" "$RUN_DIR/kafka.log" 2>/dev/null; then
      echo "kafka     running  pid $pid  port $port (controller $(info_get "$RUN_DIR/kafka.info" controller.port))  Kafka $KAFKA_VERSION on Java $jv  ready"
    else
      echo "kafka     running  pid $pid  port $port  NOT ready (log: target/infra/run/kafka.log)"
      all_ready=0
    fi
  else
    echo "kafka     stopped"
    all_ready=0
  fi
  pid="$(running_pid registry)"
  if [[ -n "$pid" ]]; then
    port="$(info_get "$RUN_DIR/registry.info" port)"
    mport="$(info_get "$RUN_DIR/registry.info" management.port)"
    ver="$(info_get "$RUN_DIR/registry.info" version)"
    jv="$(info_get "$RUN_DIR/registry.info" java)"
    if command -v curl >/dev/null 2>&1 && registry_ready "$port" "$mport"; then
      echo "registry  running  pid $pid  port $port (health $mport)  Apicurio $ver on Java $jv  ready"
    else
      echo "registry  running  pid $pid  port $port  NOT ready (log: target/infra/run/registry.log)"
      all_ready=0
    fi
  else
    echo "registry  stopped"
    all_ready=0
  fi
  if [[ "$all_ready" == 1 ]]; then
    [[ -f "$ENV_FILE" ]] || write_env
    print_urls
    return 0
  fi
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
