#!/usr/bin/env bash
# scripts/jaeger.sh — start Jaeger (v2, all in one) to see mapaudit's findings as traces, or print
# exactly what to run where no container engine is available.
#
# Usage: scripts/jaeger.sh [start|stop|print]      (default: start)
#   start  runs the container in the background when a Docker (or Podman) engine answers;
#          otherwise prints the commands, exit status 0
#   stop   removes the container
#   print  only prints the commands
# Environment:
#   JAEGER_IMAGE   image (default jaegertracing/jaeger:latest — the v2 image)
#   JAEGER_NAME    container name (default mapaudit-jaeger)
#   ENGINE         container command (default: docker, else podman, whichever answers)
# Ports: 16686 web UI, 4317 OTLP/gRPC, 4318 OTLP/HTTP. The agent exports OTLP/HTTP, so point it at
# http://127.0.0.1:4318 (option otel.endpoint=..., or OTEL_EXPORTER_OTLP_ENDPOINT).
set -euo pipefail

IMAGE=${JAEGER_IMAGE:-jaegertracing/jaeger:latest}
NAME=${JAEGER_NAME:-mapaudit-jaeger}
ACTION=${1:-start}

engine() {
  for e in ${ENGINE:-docker podman}; do
    if command -v "$e" >/dev/null 2>&1 && "$e" info >/dev/null 2>&1; then
      echo "$e"
      return 0
    fi
  done
  return 1
}

print_commands() {
  cat <<TEXT
Start Jaeger (any machine with a container engine):

  docker run -d --name $NAME -p 16686:16686 -p 4317:4317 -p 4318:4318 $IMAGE

Run your service with the agent exporting to it:

  java -javaagent:agent/target/mapaudit-agent.jar=otel.endpoint=http://127.0.0.1:4318,otel.serviceName=my-service \\
       -jar my-service.jar

or the demo:  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 scripts/demo.sh

Then open http://127.0.0.1:16686, pick the service, and search for operation map.* (for example
map.default_on_missing_key). Stop it with:  docker rm -f $NAME
TEXT
}

case "$ACTION" in
  print)
    print_commands
    ;;
  start)
    if e=$(engine); then
      "$e" rm -f "$NAME" >/dev/null 2>&1 || true
      "$e" run -d --name "$NAME" -p 16686:16686 -p 4317:4317 -p 4318:4318 "$IMAGE" >/dev/null
      echo "Jaeger is starting ($e, $IMAGE): UI http://127.0.0.1:16686, OTLP/HTTP http://127.0.0.1:4318"
      echo "Agent option: otel.endpoint=http://127.0.0.1:4318   stop: scripts/jaeger.sh stop"
    else
      echo "No container engine answers here (docker/podman), so Jaeger was not started." >&2
      print_commands
    fi
    ;;
  stop)
    if e=$(engine); then
      "$e" rm -f "$NAME" >/dev/null && echo "removed $NAME"
    else
      echo "No container engine answers here; nothing to stop." >&2
    fi
    ;;
  *)
    echo "usage: scripts/jaeger.sh [start|stop|print]" >&2
    exit 2
    ;;
esac
