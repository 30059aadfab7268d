#!/usr/bin/env bash
# scripts/detection-rate.sh — how often the detectors prove each racy program, and how often the
# traps (correct code) get an error finding, over independent JVM runs at the agent's defaults.
#
# Usage: scripts/detection-rate.sh [RUNS] [MILLIS] [AGENT_OPTS]
#   RUNS        runs per program (default 100)
#   MILLIS      how long each program races (default 2000)
#   AGENT_OPTS  agent options (default: none, i.e. sampling=1024, watchNanos=200us, watchBudget=0.01)
# Needs a build with test classes: mvn -B -q -pl bootstrap,agent -DskipTests package test-compile
# Prints one line per program: detections/runs (racy) or runs with an error finding/runs (traps).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-100}
MILLIS=${2:-2000}
OPTS=${3:-}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR=${DETRATE_JAR:-agent/target/mapaudit-agent.jar}
CP=${DETRATE_CP:-agent/target/test-classes}
[ -f "$JAR" ] && [ -d "$CP" ] || mvn -B -q -pl bootstrap,agent -DskipTests package test-compile
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# program:expected kind (racy) or program:- (trap: no error finding allowed);
# DETRATE_PROGRAMS overrides the list (same format), e.g. only the traps.
PROGRAMS=${DETRATE_PROGRAMS:-"racyWriters:CONCURRENT_WRITE sizePoll:READ_DURING_WRITE lostUpdate:LOST_UPDATE
checkThenAct:CHECK_THEN_ACT lruGets:CONCURRENT_WRITE iterationCme:MODIFIED_DURING_ITERATION
lockedByOtherObject:- reentrantLock:- synchronizedMap:- handoff:- concurrentSizePoll:-
atomicUpdates:- iterationCorrect:-"}

printf '%-22s %-26s %s\n' PROGRAM EXPECTED RESULT
for entry in $PROGRAMS; do
  program=${entry%%:*}
  kind=${entry##*:}
  hits=0
  errors=0
  for run in $(seq 1 "$RUNS"); do
    dir="$WORK/$program-$run"
    mkdir -p "$dir"
    "$JAVA" -javaagent:"$JAR=startup=sync,reportDir=$dir,summary=false${OPTS:+,$OPTS}" -cp "$CP" \
      io.mapaudit.it.apps.DetectorScenarios "$program" "$MILLIS" >/dev/null 2>&1 || true
    report="$dir/mapaudit-report.json"
    [ -f "$report" ] || continue
    if [ "$kind" != "-" ] && grep -q "\"kind\": \"$kind\"" "$report"; then hits=$((hits + 1)); fi
    if grep -q '"severity": "error"' "$report"; then errors=$((errors + 1)); fi
    rm -rf "$dir"
  done
  if [ "$kind" = "-" ]; then
    printf '%-22s %-26s %d/%d runs with an error finding\n' "$program" "(trap)" "$errors" "$RUNS"
  else
    printf '%-22s %-26s %d/%d runs detected\n' "$program" "$kind" "$hits" "$RUNS"
  fi
done
