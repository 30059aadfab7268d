#!/usr/bin/env bash
# scripts/heat-accuracy.sh — top-k recall and count error of the agent's hot-key summary on a
# Zipf(1.0) stream of 10 M operations over 1 M keys, at sampling 1, 64 and 1024, for several
# counter budgets m (the agent uses 256). No arguments. Needs ~4 GB of heap and ~30 s.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bootstrap,agent -DskipTests package test-compile
HDR=$(mvn -B -q -pl agent dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeArtifactIds=HdrHistogram)
java -Xmx4g -cp "agent/target/test-classes:agent/target/classes:bootstrap/target/classes:$HDR" \
  io.mapaudit.agent.heat.HeatAccuracy
