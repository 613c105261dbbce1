#!/usr/bin/env bash
# The project's test command (README, CI: .ci/run -> ./strata test -> this script).
#
#   1. starts the local Kafka broker and schema registry (deploy/infra/infra.sh start), unless both
#      are already running for this checkout (then they are used and left running), or the Maven
#      arguments leave out the integration tests (`-pl schemas,model`, `-DskipITs`);
#   2. runs `mvn -B verify` on every module: unit tests (surefire, *Test) and the end-to-end tests of
#      integration-tests (failsafe, *IT) against those servers, whose addresses it reads from
#      target/infra/run/env and passes as -Dstrata.it.* properties (with -Dstrata.it.required=true,
#      so that an IT without a server fails instead of skipping);
#   3. stops what it started, whatever happened (trap), and exits with Maven's status.
#
# The container image (deploy/container/build-image.sh, backbone all-MiniLM-L6-v2) is built for
# ContainerImageIT before Maven starts, as STRATA_TEST_IMAGE says: `auto` (the default) builds it
# when this runs as root with debootstrap, umoci and skopeo installed, and lets that test skip
# otherwise; `required` (CI) fails without it; `skip` never builds it. `auto` also leaves it out
# when the Maven arguments leave that test out (`-pl schemas`, `-DskipITs`, `-Dit.test=TopicsIT`).
#
# Extra arguments go to Maven, e.g. `./strata test -o` (offline) or `./strata test -pl schemas`.
# Ports: STRATA_KAFKA_PORT, STRATA_KAFKA_CONTROLLER_PORT, STRATA_REGISTRY_PORT,
# STRATA_REGISTRY_MANAGEMENT_PORT (see deploy/infra/infra.sh). Tests that need data from
# ../shared/data skip with a message when it is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
INFRA="$ROOT/deploy/infra/infra.sh"
ENV_FILE="$ROOT/target/infra/run/env"

say() { echo "run-tests: $*" >&2; }
die() { echo "run-tests: $*" >&2; exit 1; }

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  # The header above, without the shell syntax: no servers are started for help.
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi

command -v mvn >/dev/null 2>&1 || die "install Apache Maven 3.8+"

# KEY=value lines of the env file (read, never sourced).
env_get() {
  local v
  v="$(sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1)"
  [[ -n "$v" ]] || die "$ENV_FILE has no $1= line; restart the servers: ./strata infra stop && ./strata test"
  printf '%s' "$v"
}

STARTED=0
# shellcheck disable=SC2317  # called by the EXIT trap
stop_infra() {
  local rc=$?
  if [[ "$STARTED" == 1 ]]; then
    say "stopping Kafka and the registry"
    "$INFRA" stop >&2 || say "WARNING: './strata infra stop' failed; check with './strata infra status'"
  fi
  return "$rc"
}
trap stop_infra EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A -pl entry (without spaces) as a module folder name: `./model/`, `model/pom.xml`, `$ROOT/model`, `:strata-model`,
# `dev.strata:strata-model` and Maven 4's optional `?model` all give `model`.
module_of() {
  local e="$1"
  e="${e#\?}"; e="${e#"$ROOT"/}"; e="${e#./}"; e="${e%/pom.xml}"; e="${e%/}"
  e="${e##*:}"; e="${e#strata-}"
  printf '%s' "$e"
}

# Whether the Maven arguments leave the integration tests out: -DskipITs or -DskipTests, or a
# project list (-pl, --projects) without -amd (which adds the modules depending on those listed)
# that either excludes integration-tests (`!integration-tests`, `-integration-tests`) or names
# only modules known to hold no IT (schemas, model, stream-app, the parent). Anything else counts
# as running them, so the servers are never left out of a run that needs them.
leaves_out_its() {
  local arg list="" amd=0 entry module next=0
  for arg in "$@"; do
    if [[ "$next" == 1 ]]; then list="$list,$arg"; next=0; continue; fi
    case "$arg" in
      -pl|--projects) next=1 ;;
      --projects=*) list="$list,${arg#--projects=}" ;;
      -pl?*) list="$list,${arg#-pl}" ;;
      -amd|--also-make-dependents) amd=1 ;;
      -DskipITs|-DskipITs=true|-DskipTests|-DskipTests=true) return 0 ;;
    esac
  done
  [[ -n "$list" && "$amd" == 0 ]] || return 1
  local includes=0 others=0 excluded=0
  IFS=',' read -ra entries <<<"$list"
  for entry in "${entries[@]}"; do
    entry="${entry//[[:space:]]/}"
    case "$entry" in
      '') ;;
      '!'*|-*)
        [[ "$(module_of "${entry:1}")" == integration-tests ]] && excluded=1 ;;
      *)
        includes=1
        module="$(module_of "$entry")"
        case "$module" in
          schemas|model|stream-app|parent|.|'') ;;
          *) others=1 ;;
        esac ;;
    esac
  done
  [[ "$excluded" == 1 ]] || { [[ "$includes" == 1 ]] && [[ "$others" == 0 ]]; }
}

# Whether they leave ContainerImageIT out: no integration tests, or -Dit.test naming other test
# classes only (plain names; a pattern, an exclusion or an empty value may select it).
leaves_out_image_test() {
  local arg value
  leaves_out_its "$@" && return 0
  for arg in "$@"; do
    case "$arg" in
      -Dit.test=*)
        value="${arg#-Dit.test=}"
        [[ "$value" =~ ^[A-Za-z0-9_.#,]+$ && "$value" != *ContainerImageIT* ]] && return 0 ;;
    esac
  done
  return 1
}

IT_ARGS=()
if leaves_out_its "$@"; then
  say "not starting Kafka and the registry: the Maven arguments ($*) leave out the integration tests"
else
  if "$INFRA" status >/dev/null 2>&1; then
    say "Kafka and the registry are already running for this checkout: using them, leaving them running"
  else
    STARTED=1
    "$INFRA" start >&2 || die "could not start Kafka and the registry (logs: target/infra/run/)"
  fi

  BOOTSTRAP="$(env_get bootstrap.servers)"
  REGISTRY="$(env_get schema.registry.url)"
  APICURIO="$(sed -n 's/^apicurio.registry.url=//p' "$ENV_FILE" | tail -n 1)"
  say "end-to-end tests use Kafka at $BOOTSTRAP and the registry at $REGISTRY"
  IT_ARGS=("-Dstrata.it.bootstrap.servers=$BOOTSTRAP" "-Dstrata.it.schema.registry.url=$REGISTRY"
    ${APICURIO:+"-Dstrata.it.apicurio.registry.url=$APICURIO"} -Dstrata.it.required=true)
fi

IMAGE_ARGS=()
IMAGE_MODE="${STRATA_TEST_IMAGE:-auto}"
if [[ "$IMAGE_MODE" == auto ]] && leaves_out_image_test "$@"; then
  say "not building the container image: the Maven arguments ($*) leave out ContainerImageIT"
  IMAGE_MODE=skip-quiet
fi
case "$IMAGE_MODE" in
  skip) say "not building the container image (STRATA_TEST_IMAGE=skip): ContainerImageIT skips" ;;
  skip-quiet) ;;
  auto|required)
    missing=""
    [[ "$(id -u)" == 0 ]] || missing="root"
    for tool in debootstrap umoci skopeo unshare; do
      command -v "$tool" >/dev/null 2>&1 || missing="${missing:+$missing, }$tool"
    done
    # Root in an unprivileged container may not mount: the test runs the image in its own mount
    # namespace with its own /proc.
    if [[ -z "$missing" ]] && ! unshare --mount --fork sh -c 'mount -t tmpfs none /mnt' 2>/dev/null; then
      missing="mount namespaces (unshare --mount)"
    fi
    IMAGE="$ROOT/target/container/strata-it-image.tar"
    if [[ -n "$missing" ]]; then
      [[ "$IMAGE_MODE" == required ]] \
        && die "STRATA_TEST_IMAGE=required, but building and running the image needs: $missing (apt-get install debootstrap umoci skopeo, as root)"
      say "not building the container image (needs $missing): ContainerImageIT skips"
    elif say "building the container image for ContainerImageIT (STRATA_TEST_IMAGE=skip to leave it out)" \
      && "$ROOT/deploy/container/build-image.sh" --backbones all-MiniLM-L6-v2 --tag strata-it:test \
        --out "$IMAGE"; then
      IMAGE_ARGS=("-Dstrata.it.image=$IMAGE")
    elif [[ "$IMAGE_MODE" == required ]]; then
      die "the container image did not build (see above); STRATA_TEST_IMAGE=skip leaves it out"
    else
      say "WARNING: the container image did not build (see above): ContainerImageIT skips"
    fi
    [[ "$IMAGE_MODE" == required ]] && IMAGE_ARGS+=(-Dstrata.it.image.required=true)
    ;;
  *) die "STRATA_TEST_IMAGE must be auto, required or skip, got '$IMAGE_MODE'" ;;
esac

set +e
mvn -B verify \
  ${IT_ARGS[@]+"${IT_ARGS[@]}"} \
  ${IMAGE_ARGS[@]+"${IMAGE_ARGS[@]}"} \
  "$@"
rc=$?
set -e
if [[ "$rc" != 0 ]]; then
  say "mvn verify failed (exit $rc); server logs: target/infra/run/, child-JVM logs of the ITs: integration-tests/target/it-logs/"
fi
exit "$rc"
