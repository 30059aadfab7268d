#!/usr/bin/env bash
# scripts/demo.sh — the main job: build mapaudit, run the demo service under the agent, print the
# findings and write the report.
#
# Usage: scripts/demo.sh [extra demo-app arguments, e.g. --fixed]
# Environment:
#   DEMO_SECONDS   how long the demo drives load (default 20)
#   REPORT_DIR     where mapaudit-report.json/.html go (default: target/demo-report)
#   AGENT_OPTS     agent options, comma-separated (default: sampling=16,heatWindow=5s — the demo's
#                  load is light, ~2,000 calls/s per incident, so it samples more than the
#                  production default of 1 in 1024 to show every incident within seconds)
#   OTEL_EXPORTER_OTLP_ENDPOINT  when set, findings and metrics are also exported there (Jaeger)
#   JAVA_HOME      JDK to build and run with (default: the java on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."

AGENT_JAR=agent/target/mapaudit-agent.jar
DEMO_JAR=demo-app/target/mapaudit-demo-app.jar
SECONDS_TO_RUN=${DEMO_SECONDS:-20}
REPORT_DIR=${REPORT_DIR:-$PWD/target/demo-report}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ ! -f "$AGENT_JAR" ] || [ ! -f "$DEMO_JAR" ] || [ -n "$(find agent/src bootstrap/src demo-app/src -newer "$AGENT_JAR" -name '*.java' 2>/dev/null | head -1)" ]; then
  echo "== building (mvn -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

mkdir -p "$REPORT_DIR"
OPTS="reportDir=$REPORT_DIR,${AGENT_OPTS:-sampling=16,heatWindow=5s}"
if [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}" ]; then
  echo "== exporting to OpenTelemetry at $OTEL_EXPORTER_OTLP_ENDPOINT"
  OPTS="$OPTS,otel=on"
fi
echo "== running the demo service for ${SECONDS_TO_RUN}s under the agent ($OPTS)"
"$JAVA" -javaagent:"$AGENT_JAR=$OPTS" -jar "$DEMO_JAR" --seconds "$SECONDS_TO_RUN" "$@"
echo "== report: $REPORT_DIR/mapaudit-report.json"
[ -f "$REPORT_DIR/mapaudit-report.html" ] && echo "== html:   $REPORT_DIR/mapaudit-report.html"
exit 0
