#!/usr/bin/env bash
# Tagging benchmark (docs/benchmarks.md, "Tagging"): builds the benchmarks module and what it needs, then runs
# io.audioflow.benchmarks.TaggingBenchmark (a test-code main: it writes the seeded MusiCNN-shaped model of the models
# test-jar) from the benchmarks module's test classpath.
#   tools/bench-tagging.sh [--input=GLOB] [--repeat=N] [--noJob] [--investigate] [--device=cpu|cuda[:N]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl benchmarks -am -DskipTests package
echo "machine: $(nproc) cores, $(uptime)"
exec java ${AUDIOFLOW_JAVA_OPTS:--Xmx6g} \
  -cp "benchmarks/target/test-classes:benchmarks/target/classes:$(cat benchmarks/target/test-classpath.txt)" \
  io.audioflow.benchmarks.TaggingBenchmark "$@"
