#!/usr/bin/env bash
# The overhead harness in one command (see docs/BENCHMARKS.md). Builds whatap-bench with the
# peer agents (profile "overhead": the OpenTelemetry and Elastic agent jars are copied into
# whatap-bench/target/agents by Maven) and the local agent (whatap-agent/target/whatap-agent.jar,
# the receiver of the "whatap" and "javaagent" configurations) and whatap-javaagent.jar (the
# "javaagent" configuration: the hello app without our adapter, under -javaagent), installs wrk when it is missing, then runs
# io.whatap.bench.overhead.OverheadHarness with the arguments given, e.g.
#   whatap-bench/run-overhead.sh --rounds 3 --duration 30s --slices 6 --warmup 10s
# The harness writes its section of docs/BENCHMARKS.md and docs/img/overhead.png.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; }) \
      || echo "wrk could not be installed: the harness falls back to its Java load client" >&2
  else
    echo "wrk is not installed: the harness falls back to its Java load client" >&2
  fi
fi
mvn -B -q -pl whatap-bench,whatap-agent,whatap-javaagent -am package -DskipTests -Poverhead
exec java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.overhead.OverheadHarness \
  --jar whatap-bench/target/benchmarks.jar --agents whatap-bench/target/agents \
  --whatap-agent whatap-agent/target/whatap-agent.jar --javaagent whatap-javaagent/target/whatap-javaagent.jar "$@"
