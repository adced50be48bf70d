#!/bin/sh
# The image's one entry point: its argument names the role, each a compiled entry run by plain node.
# exec replaces the shell, so the orchestrator's SIGTERM reaches node itself.
set -e
role="${1:-api}"
case "$role" in
  api) exec node dist/api/main.js ;;
  worker) exec node dist/worker/main.js ;;
  migrate) exec node dist/schema/migrate.js ;;
  simulator) exec node dist/infra/dev/simulator/main.js ;;
  *)
    echo "outdial: unknown role \"$role\" (api | worker | migrate | simulator)" >&2
    exit 64
    ;;
esac
