#!/bin/bash
# Runs docs/benchmarks/ShapeAllocation.java in N pairs of JVMs, the two of a pair at once, with the
# JIT's compilations printed, and prints per JVM the fourth round's kB and µs per row and whether C1
# skipped a compilation of the vector kernels (docs/benchmarks.md, "The vector API's warm-up can
# outlast a short run"). From the repository root:
#   bash docs/benchmarks/shape-allocation-pairs.sh JAR N OUTDIR [FLUCT_HIDDEN FLUCT_RANK CORR_HIDDEN CORR_RANK]
# e.g. bash docs/benchmarks/shape-allocation-pairs.sh cli/target/lnpsaxs.jar 8 /tmp/pairs
set -euo pipefail
jar=$1
n=$2
out=$3
shift 3
shape=("${@:-}")
if [ $# -eq 0 ]; then
  shape=(64,64,64 32 32,32 16)
fi
mkdir -p "$out"
for k in $(seq 1 "$n"); do
  for j in 1 2; do
    java -XX:+PrintCompilation --add-modules jdk.incubator.vector -cp "$jar" docs/benchmarks/ShapeAllocation.java \
      "${shape[@]}" > "$out/pair-$k-$j.txt" 2>&1 &
  done
  wait
  for j in 1 2; do
    f="$out/pair-$k-$j.txt"
    # the last round's figures (the JIT's lines may split the round's label from them)
    round=$(grep -a -o "[0-9.]* kB/row, [0-9.]* us/row" "$f" | tail -1 || true)
    skipped=$(grep -a -c "VectorKernels::.*SKIPPED" "$f" || true)
    echo "pair $k jvm $j: round 3: ${round:-not found (see $f)}; kernel compilations skipped: $skipped"
  done
done
