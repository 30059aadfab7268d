#!/usr/bin/env bash
# scripts/attach-cycles.sh — attach/detach a running service CYCLES times (default 20) through
# the CLI and measure what stays behind (issue 8; AttachCyclesIT runs 5 cycles in `mvn verify`):
# loaded classes (ClassLoadingMXBean, and jcmd VM.metaspace's class and loader totals), metaspace
# used, heap after GC, agent threads, shutdown hooks — before, after 1 cycle, after all — and the
# throughput of a HashMap get/put loop before attach, while attached (default sampling) and after
# the last detach.
# Environment: JAVA_HOME (the JDK to run), CYCLES, AGENT_JAR and TEST_CLASSES (default: the build
# output), OUT (default target/attach-cycles).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
CYCLES=${CYCLES:-20}
OUT=${OUT:-$PWD/target/attach-cycles}
JAR=${AGENT_JAR:-agent/target/mapaudit-agent.jar}
CP=${TEST_CLASSES:-agent/target/test-classes}
if [ ! -f "$JAR" ] || [ ! -f "$CP/io/mapaudit/it/apps/CycleProgram.class" ]; then
  echo "== building (mvn -pl bootstrap,agent package -DskipTests, test classes)"
  mvn -B -q -pl bootstrap,agent package -DskipTests
fi
rm -rf "$OUT"; mkdir -p "$OUT"
FIFO=$OUT/stdin; mkfifo "$FIFO"
"$JAVA" -Xmx256m -XX:+EnableDynamicAgentLoading --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$CP" io.mapaudit.it.apps.CycleProgram <"$FIFO" >"$OUT/service.out" 2>"$OUT/service.err" &
SERVICE=$!
exec 7>"$FIFO"
trap 'echo exit >&7 2>/dev/null || true; exec 7>&-; wait $SERVICE 2>/dev/null || true' EXIT
ask() { # ask COMMAND PREFIX: send a command, wait for the reply line starting with PREFIX
  local n; n=$(grep -c "^$2" "$OUT/service.out" || true)
  echo "$1" >&7
  for _ in $(seq 1 600); do
    if [ "$(grep -c "^$2" "$OUT/service.out" || true)" -gt "$n" ]; then
      grep "^$2" "$OUT/service.out" | tail -1; return
    fi
    sleep 0.1
  done
  echo "no reply to $1" >&2; exit 1
}
for _ in $(seq 1 100); do grep -q READY "$OUT/service.out" 2>/dev/null && break; sleep 0.1; done
PID=$(grep READY "$OUT/service.out" | cut -d' ' -f2)
measure() { # measure LABEL
  local s; s=$(ask stats STATS)
  local m; m=$("$JCMD" "$PID" VM.metaspace 2>/dev/null | grep '^Total Usage' | head -1 || true)
  echo "   $1: ${s#STATS } | jcmd: ${m#Total Usage - }"
}
echo "== service pid $PID ($("$JAVA" -version 2>&1 | head -1))"
ask "work 20000" DONE >/dev/null
BASE=$(ask "bench 2000000" BENCH | cut -d' ' -f2)
measure "before      "
"$JAVA" -jar "$JAR" attach "$PID" "reportDir=$OUT" >/dev/null
ask "work 20000" DONE >/dev/null
ATTACHED=$(ask "bench 2000000" BENCH | cut -d' ' -f2)
"$JAVA" -jar "$JAR" detach "$PID" >/dev/null
measure "after 1     "
for c in $(seq 2 "$CYCLES"); do
  "$JAVA" -jar "$JAR" attach "$PID" sampling=1 "reportDir=$OUT" >/dev/null
  ask "work 20000" DONE >/dev/null
  "$JAVA" -jar "$JAR" detach "$PID" >/dev/null
  if [ $((c % 5)) -eq 0 ] || [ "$c" -eq "$CYCLES" ]; then
    measure "after $(printf '%-6s' "$c")"
  fi
done
AFTER=$(ask "bench 2000000" BENCH | cut -d' ' -f2)
echo "== HashMap get/put loop, ops/ms (best of 5): before attach $BASE, attached $ATTACHED, after $CYCLES detaches $AFTER"
echo "== advice errors in the last report: $(grep -o '"adviceErrors": *[0-9]*' "$OUT/mapaudit-report.json" | grep -o '[0-9]*$')"
