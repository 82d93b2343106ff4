#!/usr/bin/env bash
# Cold start for the harness: remove the bench-out/* images, every build cache record and every
# blob and snapshot only they used (system prune alone keeps the last hour's unreferenced blobs
# and rmi keeps layers the build cache uses), keep the base images.
set -uo pipefail
strata=$1
"$strata" images --format '{{.Repository}}:{{.Tag}}' | grep '^bench-out/' | xargs -r "$strata" rmi -f >/dev/null
"$strata" builder prune --all -f >/dev/null
"$strata" system prune -f >/dev/null
"$strata" system check --repair >/dev/null
