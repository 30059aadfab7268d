#!/usr/bin/env bash
# scripts/bench.sh — measure mapaudit against no agent and against its peers, and print ONE table
# of ratios measured in one run on this machine (configurations interleaved). See BENCHMARKS.md.
#
# Usage: scripts/bench.sh [--quick] [--rounds N] [--sections LIST] [--benchmarks LIST] [--no-peers]
#   --quick            smoke run (~3 min): 1 round, short JMH iterations, 1 thread, 3 startups
#   --rounds N         JMH rounds (default 2; each round runs every configuration once)
#   --sections LIST    comma-separated subset of jmh,workloads,cpu,startup,attach,memory,peers
#   --benchmarks LIST  comma-separated subset of the JMH map benchmarks (MapOpsBenchmark methods)
#   --configs LIST     subset of none,off,default,attached,windows,sampling1,detached,gate
#                      (gate: advice installed, next to nothing sampled; none is always run)
#   --iterations W,M,MS  JMH warm-up and measurement iterations and their length in ms
#   --no-peers         do not fetch or run Arthas / the OpenTelemetry agent
# Environment:
#   JAVA_HOME          JDK to build and run with (default: the java on PATH)
#   OTEL_AGENT_VERSION OpenTelemetry javaagent version to fetch (default 2.33.1)
#   ARTHAS_VERSION     Arthas version to fetch (default 4.1.5)
#   BENCH_OUT          output directory (default benchmarks/target/bench): results.md, raw.csv
#
# Builds what is missing (mvn package, offline first), fetches the peers from Maven Central with
# `mvn dependency:copy` into benchmarks/target/peers, then runs io.mapaudit.bench.BenchMain.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
AGENT_JAR=agent/target/mapaudit-agent.jar
BENCH_JAR=benchmarks/target/mapaudit-benchmarks.jar
PEERS=benchmarks/target/peers
OTEL_AGENT_VERSION=${OTEL_AGENT_VERSION:-2.33.1}
ARTHAS_VERSION=${ARTHAS_VERSION:-4.1.5}
OUT=${BENCH_OUT:-benchmarks/target/bench}

args=()
peers=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--quick); shift ;;
    --rounds|--sections|--benchmarks|--configs|--iterations) args+=("$1" "$2"); shift 2 ;;
    --no-peers) peers=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -name '*.java' 2>/dev/null | head -1)" ]; }
if stale "$AGENT_JAR" agent/src bootstrap/src || stale "$BENCH_JAR" benchmarks/src; then
  echo "== building (mvn package -DskipTests)"
  mvn -B -q -o -DskipTests package -pl bootstrap,agent,benchmarks -am \
    || mvn -B -q -DskipTests package -pl bootstrap,agent,benchmarks -am
fi

fetch() { # fetch GROUP:ARTIFACT:VERSION[:TYPE[:CLASSIFIER]] into $PEERS
  mvn -B -q -N -o dependency:copy -Dartifact="$1" -DoutputDirectory="$PEERS" >/dev/null 2>&1 \
    || mvn -B -q -N dependency:copy -Dartifact="$1" -DoutputDirectory="$PEERS" >/dev/null
}
if [ "$peers" = 1 ]; then
  mkdir -p "$PEERS"
  OTEL_JAR=$PEERS/opentelemetry-javaagent-$OTEL_AGENT_VERSION.jar
  [ -f "$OTEL_JAR" ] || { echo "== fetching opentelemetry-javaagent $OTEL_AGENT_VERSION"; \
    fetch "io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_AGENT_VERSION"; }
  ARTHAS_HOME=$PEERS/arthas-$ARTHAS_VERSION
  if [ ! -f "$ARTHAS_HOME/arthas-boot.jar" ]; then
    echo "== fetching arthas-packaging $ARTHAS_VERSION"
    fetch "com.taobao.arthas:arthas-packaging:$ARTHAS_VERSION:zip:bin"
    mkdir -p "$ARTHAS_HOME"
    (cd "$ARTHAS_HOME" && "$JAVA" -cp "$OLDPWD/$BENCH_JAR" io.mapaudit.bench.Unzip \
      "$OLDPWD/$PEERS/arthas-packaging-$ARTHAS_VERSION-bin.zip")
  fi
  args+=(--otel "$OTEL_JAR" --arthas "$ARTHAS_HOME")
fi

echo "== $("$JAVA" -version 2>&1 | head -1); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
# BENCH_JAVA_OPTS: extra JVM options for the harness, e.g. -Djmh.ignoreLock=true when another
# JMH run holds /tmp/jmh.lock on this machine.
"$JAVA" ${BENCH_JAVA_OPTS:-} -cp "$BENCH_JAR" io.mapaudit.bench.BenchMain --agent "$AGENT_JAR" --out "$OUT" "${args[@]}"
