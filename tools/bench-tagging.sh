#!/usr/bin/env bash
# Tagging benchmark (docs/benchmarks.md, "Tagging"): builds the models, transforms and pipeline modules with their
# test code, then runs io.audioflow.pipeline.TaggingBenchmark (a test-code main: it writes the seeded
# MusiCNN-shaped model of the models test-jar).
#   tools/bench-tagging.sh [--input=GLOB] [--repeat=N] [--noJob] [--investigate]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl pipeline -am -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
echo "machine: $(nproc) cores, $(uptime)"
exec java ${AUDIOFLOW_JAVA_OPTS:--Xmx6g} \
  -cp "pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/test-classpath.txt)" \
  io.audioflow.pipeline.TaggingBenchmark "$@"
