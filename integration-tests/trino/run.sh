#!/usr/bin/env bash
# Trino reads every table the job writes (.ci/run runs this after mvn -B verify):
#   1. the job (Java 17, in the reactor) with every table on, twice over one output, the second with --reprocess;
#   2. bin/audioflow ddl for that output;
#   3. this folder's Maven project on Java 25: an in-process Trino 483 creates the tables from that DDL and reads
#      them against DuckDB.
# Trino 483 needs a Java 25 JDK: JAVA25_HOME, else the first JDK 25 under /usr/lib/jvm. Without one this fails
# when CI is set and is skipped otherwise, saying what to install.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

java25=""
for jdk in ${JAVA25_HOME:+"$JAVA25_HOME"} /usr/lib/jvm/*; do
  if [ -x "$jdk/bin/javac" ] && "$jdk/bin/java" -version 2>&1 | grep -q '^[a-z]* version "25[."]'; then
    java25="$jdk"
    break
  fi
done
if [ -z "$java25" ]; then
  message="integration-tests/trino: no Java 25 JDK found (Trino 483 needs one); install a JDK 25 (e.g. Eclipse"
  message+=" Temurin 25) under /usr/lib/jvm or set JAVA25_HOME to one"
  if [ -n "${CI:-}" ]; then
    echo "$message" >&2
    exit 1
  fi
  echo "$message: Trino test skipped" >&2
  exit 0
fi

output="$here/target/job-output"
mkdir -p "$here/target"
(cd "$root" && mvn -B -q -pl pipeline -am test -Dtest=AllTablesJobTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Daudioflow.allTablesOutput="$output")
"$root/bin/audioflow" ddl --engine=trino --location="local://$output" > "$here/target/tables.sql"
# Maven itself runs on Java 25 here; its bundled Guava's use of sun.misc.Unsafe would only warn.
JAVA_HOME="$java25" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
  mvn -B -f "$here/pom.xml" verify -Daudioflow.allTablesOutput="$output" -Daudioflow.ddl="$here/target/tables.sql"
