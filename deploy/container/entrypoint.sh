#!/bin/sh
# Entrypoint of the Strata container image (deploy/container/build-image.sh): the commands of
# ./strata, e.g. `run --config /etc/strata/strata.properties`.
#   STRATA_JAVA_OPTS  JVM options; without a heap setting of their own, the heap is 50% of the
#                     container's memory limit (-XX:MaxRAMPercentage=50): the encoder's weights
#                     (memory-mapped), libtorch and RocksDB use memory outside the Java heap
set -eu
HEAP="-XX:MaxRAMPercentage=50"
case "${STRATA_JAVA_OPTS:-}" in
  *-Xmx*|*-Xms*|*MaxHeapSize*|*MaxRAM*|*InitialHeapSize*) HEAP="" ;;
esac
# shellcheck disable=SC2086
exec java $HEAP ${STRATA_JAVA_OPTS:-} -Dai.djl.offline=true -Dstrata.image=true \
  -cp '/opt/strata/strata-app.jar:/opt/strata/lib/*' dev.strata.app.cli.StrataCommand "$@"
