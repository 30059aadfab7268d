#!/usr/bin/env bash
# scripts/soak.sh — the long load and bounds runs of issue 8 (BoundsIT runs short versions in
# `mvn verify`). Each run prints its figures; a summary closes the output.
#   1. 8 threads at full rate for SOAK_SECONDS (default 60) at sampling=1: heap after full GC
#      every second (the program's own data is fixed, so growth is the agent's), ring drops.
#   2. CHURN_MAPS (default 10,000,000) short-lived maps at sampling=1: side table bounded by
#      maxMaps (default 10,000), maps collected.
#   3. One map with KEYS (default 1,000,000) distinct keys at sampling=1, and without the agent:
#      the heap difference is the agent's (per-map state is bounded).
# Environment: JAVA_HOME (the JDK to run), SOAK_SECONDS, CHURN_MAPS, KEYS, AGENT_JAR and
# TEST_CLASSES (default: the build output), OUT (default
# target/soak).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
SECS=${SOAK_SECONDS:-60}
CHURN=${CHURN_MAPS:-10000000}
KEYS=${KEYS:-1000000}
OUT=${OUT:-$PWD/target/soak}
JAR=${AGENT_JAR:-agent/target/mapaudit-agent.jar}
CP=${TEST_CLASSES:-agent/target/test-classes}
if [ ! -f "$JAR" ] || [ ! -f "$CP/io/mapaudit/it/apps/SoakProgram.class" ]; then
  echo "== building (mvn -pl bootstrap,agent package -DskipTests, test classes)"
  mvn -B -q -pl bootstrap,agent package -DskipTests
fi
mkdir -p "$OUT"
field() { # field FILE NAME: a number from the report's agent object
  grep -o "\"$2\": *[0-9]*" "$1" | head -1 | grep -o '[0-9]*$'
}
run() { # run NAME AGENT_OPTS ARGS...
  local name=$1 opts=$2; shift 2
  rm -rf "${OUT:?}/$name"; mkdir -p "$OUT/$name"
  local agent=()
  [ -n "$opts" ] && agent=("-javaagent:$JAR=$opts,reportDir=$OUT/$name,summary=false")
  local t0; t0=$(date +%s)
  "$JAVA" -Xmx2g "${agent[@]}" -cp "$CP" io.mapaudit.it.apps.SoakProgram "$@" \
    >"$OUT/$name/stdout.txt" 2>"$OUT/$name/stderr.txt"
  echo "   ($(( $(date +%s) - t0 )) s)"
}
mb() { echo "$(( $1 / 1048576 )) MB"; }

echo "== 1. load: 8 threads, ${SECS}s, sampling=1"
run load "sampling=1" load 8 "$SECS"
R=$OUT/load/mapaudit-report.json
grep '^HEAP [0-9]' "$OUT/load/stdout.txt" | awk '{printf "   heap after GC at %3ss: %6.1f MB\n", $2, $3/1048576}' \
  | awk -v n="$SECS" 'NR<=3 || NR%10==0 || NR==n'
H5=$(grep '^HEAP 5 ' "$OUT/load/stdout.txt" | cut -d' ' -f3)
HN=$(grep "^HEAP $SECS " "$OUT/load/stdout.txt" | cut -d' ' -f3)
echo "   ops $(grep '^DONE' "$OUT/load/stdout.txt" | cut -d' ' -f2), records $(field "$R" records), droppedRecords $(field "$R" droppedRecords), adviceErrors $(field "$R" adviceErrors)"
LOAD="heap after GC at 5 s $(mb "$H5"), at ${SECS} s $(mb "$HN"); droppedRecords $(field "$R" droppedRecords) of $(( $(field "$R" records) + $(field "$R" droppedRecords) )) sampled"

echo "== 2. churn: $CHURN short-lived maps, sampling=1, maxMaps=10000"
run churn "sampling=1" churn "$CHURN"
R=$OUT/churn/mapaudit-report.json
grep '^HEAP' "$OUT/churn/stdout.txt" | awk '{printf "   heap after GC at %-14s %6.1f MB\n", $2":", $3/1048576}'
CHURN_LINE="trackedMaps $(field "$R" trackedMaps) (maxMaps 10000), mapsCollected $(field "$R" mapsCollected), mapsEvicted $(field "$R" mapsEvicted), adviceErrors $(field "$R" adviceErrors)"
echo "   $CHURN_LINE"

echo "== 3. keys: one map with $KEYS distinct keys, sampling=1 vs no agent"
run keys "sampling=1" keys "$KEYS"
run keys-plain "" keys "$KEYS"
WITH=$(grep '^HEAP with-map' "$OUT/keys/stdout.txt" | cut -d' ' -f3)
WITHOUT=$(grep '^HEAP with-map' "$OUT/keys-plain/stdout.txt" | cut -d' ' -f3)
KEYS_LINE="heap after GC with the map: $(mb "$WITH") with the agent, $(mb "$WITHOUT") without (agent +$(( (WITH - WITHOUT) / 1048576 )) MB)"
echo "   $KEYS_LINE"

echo "== summary ($("$JAVA" -version 2>&1 | head -1))"
echo "   load:  $LOAD"
echo "   churn: $CHURN_LINE"
echo "   keys:  $KEYS_LINE"
