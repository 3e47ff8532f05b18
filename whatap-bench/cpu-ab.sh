#!/usr/bin/env bash
# Before/after of the request path and the local agent in CPU time per operation, robust to a
# loaded machine: builds whatap-bench's benchmarks.jar at BASE_REV and at HEAD_REV (default HEAD)
# in detached worktrees, runs io.whatap.bench.CpuTimeAB over both jars in one JVM (alternating
# rounds, thread CPU time and allocated bytes), then JMH with -prof gc on each jar for B/op.
#
#   whatap-bench/cpu-ab.sh BASE_REV [HEAD_REV] [-- CpuTimeAB options, e.g. --rounds 21]
#
# Environment: MVN_FLAGS (default "-B -q -o"), OUT (default whatap-bench/target/cpu-ab),
# REUSE_JARS=1 to skip the builds when OUT already holds base.jar and head.jar, SKIP_JMH=1.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BASE_REV [HEAD_REV] [-- CpuTimeAB options]" >&2
  exit 2
fi
base_rev=$1; shift
head_rev=HEAD
if [ $# -gt 0 ] && [ "$1" != "--" ]; then head_rev=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi

root=$(git rev-parse --show-toplevel)
out=${OUT:-$root/whatap-bench/target/cpu-ab}
mvn_flags=${MVN_FLAGS:--B -q -o}
mkdir -p "$out"

build() { # rev name -> $out/name.jar
  local rev=$1 name=$2 tree=$out/src-$2
  git -C "$root" worktree remove --force "$tree" 2>/dev/null || true
  git -C "$root" worktree prune
  git -C "$root" worktree add --detach "$tree" "$rev" >/dev/null
  # Older commits have no reactor in pom.xml; their reactor is parent-pom.xml.
  local pom=pom.xml
  if ! grep -q '<module>whatap-bench</module>' "$tree/pom.xml" 2>/dev/null; then pom=parent-pom.xml; fi
  echo "building $name = $rev ($(git -C "$tree" rev-parse --short HEAD)) with -f $pom" >&2
  (cd "$tree" && mvn $mvn_flags -f "$pom" -pl whatap-bench -am package -DskipTests)
  cp "$tree/whatap-bench/target/benchmarks.jar" "$out/$name.jar"
  git -C "$tree" rev-parse HEAD > "$out/$name.rev"
  git -C "$root" worktree remove --force "$tree"
}

if [ "${REUSE_JARS:-0}" != 1 ] || [ ! -f "$out/base.jar" ] || [ ! -f "$out/head.jar" ]; then
  build "$base_rev" base
  build "$head_rev" head
fi

# The harness needs only the JDK: compiled from this checkout, it drives either jar.
mkdir -p "$out/harness"
javac -d "$out/harness" "$root/whatap-bench/src/main/java/io/whatap/bench/CpuTimeAB.java"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" | tee "$out/load.txt"
java -Xms1g -Xmx1g -cp "$out/harness" io.whatap.bench.CpuTimeAB "$out/base.jar" "$out/head.jar" \
  --csv "$out/cpu-ab.csv" "$@" | tee "$out/cpu-ab.md"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.txt"

if [ "${SKIP_JMH:-0}" = 1 ]; then exit 0; fi
# B/op does not depend on the load; short iterations are enough for it.
jmh_select='TransactionBenchmark\.(whatap|whatapPaced|baselineNoop)$|FilterBenchmark\.(whatapFilter|baseline)$|LocalAgentBenchmark\.decodeAndApply$'
for side in base head; do
  java -jar "$out/$side.jar" "$jmh_select" -p memo=true -f 1 -wi 3 -w 1s -i 3 -r 1s -prof gc \
    -rf csv -rff "$out/jmh-$side.csv" > "$out/jmh-$side.txt"
done
python3 - "$out/jmh-base.csv" "$out/jmh-head.csv" <<'EOF'
import csv, sys
def norm(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            params = ",".join(f"{k[7:]}={v}" for k, v in r.items() if k.startswith("Param: ") and v)
            name = r["Benchmark"]
            if name.endswith(":gc.alloc.rate.norm"):
                key = name[:-len(":gc.alloc.rate.norm")].rsplit(".", 2)
                rows[(".".join(key[-2:]), params)] = float(r["Score"])
    return rows
b, h = norm(sys.argv[1]), norm(sys.argv[2])
print("\n| JMH -prof gc | params | base B/op | head B/op |\n| --- | --- | ---: | ---: |")
for k in sorted(set(b) | set(h)):
    print(f"| {k[0]} | {k[1]} | {b.get(k, float('nan')):.1f} | {h.get(k, float('nan')):.1f} |")
EOF
