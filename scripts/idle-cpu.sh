#!/usr/bin/env bash
# scripts/idle-cpu.sh — what the agent costs a JVM that does nothing: process CPU time and
# voluntary context switches per second of a sleeping main, without the agent, at default
# settings and with enabled=false (BENCHMARKS.md, seventh pass). Linux only (/proc).
#
# Usage: scripts/idle-cpu.sh [SECONDS]   measured window, default 10 (after 5 s of start-up)
# Environment: JAVA_HOME (default: the java on PATH); AGENT_JAR (default agent/target/mapaudit-agent.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-10}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
agent=${AGENT_JAR:-agent/target/mapaudit-agent.jar}
if [[ ! -f $agent ]]; then
  echo "idle-cpu: $agent is missing; build it first: mvn -B -q package -DskipTests" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Idle.java" <<'EOF'
public class Idle {
  public static void main(String[] a) throws Exception {
    Thread.sleep(Long.parseLong(a[0]));
  }
}
EOF
"$javac" -d "$work" "$work/Idle.java"
ticks=$(getconf CLK_TCK)

# CPU ticks (utime + stime) of the process, and voluntary context switches over all its threads.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {s += $2} END {print s + 0}'; }

measure() {
  local label=$1 opts=$2
  # shellcheck disable=SC2086 # opts is a word list on purpose
  "$java" $opts -cp "$work" Idle $(( (window + 8) * 1000 )) >/dev/null 2>&1 &
  local pid=$!
  sleep 5
  local c0 s0 c1 s1
  c0=$(cpu_ticks $pid); s0=$(switches $pid)
  sleep "$window"
  c1=$(cpu_ticks $pid); s1=$(switches $pid)
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  awk -v l="$label" -v c=$((c1 - c0)) -v s=$((s1 - s0)) -v w="$window" -v t="$ticks" \
    'BEGIN {printf "| %s | %.1f ms/s | %d /s |\n", l, c * 1000 / t / w, s / w}'
}

echo "| idle JVM, ${window} s after 5 s of start-up | process CPU | voluntary context switches |"
echo "|---|---|---|"
measure "no agent" ""
measure "agent, default settings" "-javaagent:$agent=summary=false,reportDir=$work/r"
measure "agent, enabled=false" "-javaagent:$agent=summary=false,reportDir=$work/r,enabled=false"
