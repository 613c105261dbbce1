#!/usr/bin/env bash
# Builds the Strata container image without a Docker engine (./strata image).
#
#   ./strata image [--backbones bert-base-cased,...] [--tag NAME:TAG] [--out FILE]
#                  [--rebuild-base]
#
# The image (linux/amd64) has four layers:
#   1. Debian bookworm (minbase) with openjdk-17-jre-headless and ca-certificates, made by
#      debootstrap from Debian's own packages, and the user `strata` (uid and gid 10001);
#   2. /opt/strata/lib: the application's dependencies, DJL's PyTorch CPU natives included;
#   3. /opt/strata/maven-repo: the jars of the backbones asked for (real weights from Maven
#      Central, in the Maven layout, found through STRATA_MAVEN_REPO), so no download at start;
#   4. /opt/strata/strata-app.jar and the entrypoint /opt/strata/bin/strata.
# The entrypoint takes the same commands as ./strata (`run --config FILE` for the stream
# application); it runs as `strata` in /var/lib/strata (a volume: weight cache, DJL natives,
# Kafka Streams state). Port 9400 serves /metrics and /health/ready.
#
# Output: the image as a `docker load` / `podman load` archive (default
# target/container/strata-image.tar, tag strata:VERSION from pom.xml), and in an OCI layout
# (target/container/oci, under the tag with '-' for ':', e.g. strata-0.1.0-SNAPSHOT) that
# `skopeo copy oci:target/container/oci:strata-0.1.0-SNAPSHOT docker://REGISTRY/strata:TAG` pushes.
# Layer 1 is kept in that layout and reused until the package list below changes (or
# --rebuild-base).
#
# Needs root (debootstrap, and umoci keeping file owners) and Debian's debootstrap, umoci and
# skopeo: apt-get install debootstrap umoci skopeo. Under sudo, the application build and Maven
# run as the calling user (SUDO_USER), with that user's Maven repository, and the output is
# handed to that user. Network: Debian's mirror for layer 1 only; the backbone jars come from
# the local Maven repository (STRATA_MAVEN_REPO or ~/.m2/repository), fetched when missing.
# Scratch space (about 1 GB) is taken under target/container, not /tmp.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT_DIR="$ROOT/target/container"
LAYOUT="$OUT_DIR/oci"

SUITE=bookworm
MIRROR="${STRATA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=openjdk-17-jre-headless,ca-certificates
STRATA_UID=10001
# Raise when the base steps below change, so that a kept base layer is made again.
BASE_REVISION=3

BACKBONES=bert-base-cased
TAG=""
OUT="$OUT_DIR/strata-image.tar"
REBUILD_BASE=0

say() { echo "image: $*" >&2; }
die() { echo "image: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --backbones) BACKBONES="${2:?--backbones needs a comma-separated list}"; shift 2 ;;
    --tag) TAG="${2:?--tag needs NAME:TAG}"; shift 2 ;;
    --out) OUT="${2:?--out needs a file}"; shift 2 ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see ./strata image --help)" ;;
  esac
done

[[ "$(id -u)" == 0 ]] || die "needs root: debootstrap builds the base layer and umoci keeps file owners; run it as root (e.g. sudo ./strata image)"
for tool in debootstrap umoci skopeo flock; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "'$tool' not found; install the tools with: apt-get install debootstrap umoci skopeo util-linux"
done

VERSION="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p; T; q' "$ROOT/pom.xml")"
[[ -n "$VERSION" ]] || die "cannot read the project version from pom.xml"
TAG="${TAG:-strata:$VERSION}"
[[ "$TAG" =~ ^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$ ]] \
  || die "--tag must be NAME:TAG (lower-case name; tag of letters, digits, '.', '_', '-'), got '$TAG'"
REF="$(printf '%s' "$TAG" | tr ':/' '--')"

# Under sudo: build and fetch as the calling user, so that nothing of theirs becomes root's.
INVOKER="${SUDO_USER:-}"
[[ "$INVOKER" == root ]] && INVOKER=""
as_invoker() {
  if [[ -n "$INVOKER" ]]; then sudo -u "$INVOKER" -H --preserve-env=PATH,STRATA_MAVEN_REPO -- "$@"; else "$@"; fi
}
INVOKER_HOME="$HOME"
[[ -n "$INVOKER" ]] && INVOKER_HOME="$(getent passwd "$INVOKER" | cut -d: -f6)"

as_invoker mkdir -p "$OUT_DIR"
exec 9>"$OUT_DIR/.lock"
flock -n 9 || die "another './strata image' (or './strata test') is building in $OUT_DIR; wait for it"
WORK="$(mktemp -d "$OUT_DIR/work.XXXXXX")"
trap 'rm -rf --one-file-system "$WORK"' EXIT

# The backbone catalogue; asking the launcher for it also builds the application jar and its
# dependencies when sources changed.
CATALOGUE="$(as_invoker "$ROOT/strata" backbones)"
TARGET="$ROOT/stream-app/target"

# The backbone jars for layer 3, checked (and fetched into the local Maven repository the
# application reads, see MavenArtifacts) before any layer is made.
LOCAL_REPO="${STRATA_MAVEN_REPO:-$INVOKER_HOME/.m2/repository}"
mkdir -p "$WORK/maven-repo"
IFS=',' read -r -a names <<<"$BACKBONES"
for name in "${names[@]}"; do
  gav="$(awk -v n="$name" '$1 == n && $7 == "maven" { print $8 }' <<<"$CATALOGUE")"
  [[ -n "$gav" ]] || die "'$name' is not a backbone published on Maven (see ./strata backbones)"
  IFS=':' read -r g a v <<<"$gav"
  rel="${g//.//}/$a/$v/$a-$v.jar"
  if [[ ! -f "$LOCAL_REPO/$rel" ]]; then
    say "fetching $gav into $LOCAL_REPO"
    as_invoker mvn -B -q dependency:get -Dartifact="$gav" -Dtransitive=false \
      -Dmaven.repo.local="$LOCAL_REPO" >&2 || die "Maven could not fetch $gav"
    [[ -f "$LOCAL_REPO/$rel" ]] || die "Maven reported $gav fetched, but $LOCAL_REPO/$rel is missing"
  fi
  mkdir -p "$WORK/maven-repo/$(dirname "$rel")"
  cp "$LOCAL_REPO/$rel" "$WORK/maven-repo/$rel"
  say "backbone $name: $gav"
done

[[ -d "$LAYOUT" ]] || umoci init --layout "$LAYOUT"

# --- layer 1: the base -------------------------------------------------------------------------
BASE_TAG="base-$(printf '%s %s %s %s' "$SUITE" "$PACKAGES" "$STRATA_UID" "$BASE_REVISION" | sha256sum | cut -c1-12)"
# (The tag list is read whole: `umoci ls | grep -q` can fail under pipefail when grep exits early.)
TAGS="$(umoci ls --layout "$LAYOUT")"
if [[ "$REBUILD_BASE" == 1 ]] || ! grep -qx "$BASE_TAG" <<<"$TAGS"; then
  say "building the base layer: Debian $SUITE minbase + $PACKAGES (debootstrap from $MIRROR)"
  # Made under a working tag, named only once complete: a failed run leaves no usable-looking base.
  umoci rm --image "$LAYOUT:base-building" 2>/dev/null || true
  umoci new --image "$LAYOUT:base-building"
  umoci unpack --image "$LAYOUT:base-building" "$WORK/base"
  LOG="$OUT_DIR/debootstrap.log"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK/base/rootfs" "$MIRROR" \
    >"$LOG" 2>&1 \
    || { tail -20 "$LOG" >&2; die "debootstrap failed; its log: $LOG (is $MIRROR reachable, is $OUT_DIR on a file system that allows devices and exec?)"; }
  chroot "$WORK/base/rootfs" useradd --uid "$STRATA_UID" --user-group \
    --home-dir /var/lib/strata --create-home --shell /usr/sbin/nologin strata
  # Nothing of the build machine: debootstrap copies its hostname and resolver settings.
  rm -f "$WORK/base/rootfs/etc/hostname"
  : >"$WORK/base/rootfs/etc/resolv.conf"
  rm -rf "$WORK/base/rootfs/var/cache/apt/archives/"*.deb "$WORK/base/rootfs/var/lib/apt/lists/"*
  umoci repack --image "$LAYOUT:base-building" \
    --history.created_by "debootstrap --variant=minbase --include=$PACKAGES $SUITE" "$WORK/base"
  for old in $(grep '^base-' <<<"$TAGS" || true); do
    umoci rm --image "$LAYOUT:$old"
  done
  umoci tag --image "$LAYOUT:base-building" "$BASE_TAG"
  umoci rm --image "$LAYOUT:base-building"
  rm -rf --one-file-system "$WORK/base"
else
  say "reusing the base layer ($BASE_TAG; --rebuild-base to make it again)"
fi

# Layers 2-4 go onto a working tag too; the real one is moved only when the image is complete.
BUILDING="$REF-building"
umoci rm --image "$LAYOUT:$BUILDING" 2>/dev/null || true
umoci tag --image "$LAYOUT:$BASE_TAG" "$BUILDING"

# --- layer 2: dependencies ---------------------------------------------------------------------
umoci insert --image "$LAYOUT:$BUILDING" "$TARGET/lib" /opt/strata/lib

# --- layer 3: backbone weights -----------------------------------------------------------------
umoci insert --image "$LAYOUT:$BUILDING" "$WORK/maven-repo" /opt/strata/maven-repo

# --- layer 4: the application ------------------------------------------------------------------
mkdir -p "$WORK/app/bin"
cp "$TARGET/strata-app.jar" "$WORK/app/"
install -m 0755 "$ROOT/deploy/container/entrypoint.sh" "$WORK/app/bin/strata"
umoci insert --image "$LAYOUT:$BUILDING" "$WORK/app" /opt/strata

# A numeric user, so that runtimes can check it is not root (Kubernetes' runAsNonRoot).
umoci config --image "$LAYOUT:$BUILDING" \
  --config.entrypoint /opt/strata/bin/strata \
  --config.cmd --help \
  --config.user "$STRATA_UID:$STRATA_UID" \
  --config.workingdir /var/lib/strata \
  --config.volume /var/lib/strata \
  --config.exposedports 9400/tcp \
  --config.env STRATA_MAVEN_REPO=/opt/strata/maven-repo \
  --config.env STRATA_CACHE_DIR=/var/lib/strata/cache \
  --config.env DJL_CACHE_DIR=/var/lib/strata/djl \
  --config.label org.opencontainers.image.title=strata \
  --config.label org.opencontainers.image.version="$VERSION" \
  --config.label org.opencontainers.image.revision="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
  --config.label dev.strata.backbones="$BACKBONES" \
  --history.created_by "strata image --backbones $BACKBONES"
umoci rm --image "$LAYOUT:$REF" 2>/dev/null || true
umoci tag --image "$LAYOUT:$BUILDING" "$REF"
umoci rm --image "$LAYOUT:$BUILDING"
umoci gc --layout "$LAYOUT"

rm -f "$OUT.tmp"
skopeo copy --quiet "oci:$LAYOUT:$REF" "docker-archive:$OUT.tmp:$TAG"
mv -f "$OUT.tmp" "$OUT"
[[ -n "$INVOKER" ]] && chown -R "$INVOKER:" "$OUT_DIR" "$OUT"
say "wrote $OUT ($(du -h "$OUT" | cut -f1), tag $TAG) in ${SECONDS}s; load it with: docker load -i $OUT"
say "OCI layout: $LAYOUT (tag $REF); push with: skopeo copy oci:$LAYOUT:$REF docker://REGISTRY/$TAG"
