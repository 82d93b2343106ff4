#!/usr/bin/env bash
# Cold start for the harness: remove the bench-out/* images and everything only they used,
# keep the base images.
set -uo pipefail
strata=$1
"$strata" images --format '{{.Repository}}:{{.Tag}}' | grep '^bench-out/' | xargs -r "$strata" rmi -f >/dev/null
"$strata" system prune -f >/dev/null
