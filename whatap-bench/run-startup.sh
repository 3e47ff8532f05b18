#!/usr/bin/env bash
# Start-up time of the Spring Boot app (whatap-javaagent-boot-app) without an agent, with
# whatap-javaagent and with OpenTelemetry's Java agent 2.33.1 (see docs/BENCHMARKS.md, section 7).
# Builds the three jars (profile "overhead" copies the OpenTelemetry agent into
# whatap-bench/target/agents), then runs io.whatap.bench.startup.StartupBench, e.g.
#   whatap-bench/run-startup.sh --runs 7
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl whatap-bench,whatap-javaagent,whatap-javaagent-boot-app -am package -DskipTests -Poverhead
exec java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.startup.StartupBench \
  --boot-jar whatap-javaagent-boot-app/target/boot-app.jar \
  --whatap whatap-javaagent/target/whatap-javaagent.jar \
  --otel whatap-bench/target/agents/opentelemetry-javaagent.jar "$@"
