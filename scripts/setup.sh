#!/usr/bin/env bash
# First README command: install what is missing, build the strata binary (Native AOT), then
# run the main job on an example: make a busybox base image, show its layers and history,
# save it and load it back into a second store.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
echo "== building strata (Native AOT)"
dotnet publish src/Strata.Cli -c Release -nologo -v q -o artifacts/bin
bash scripts/demo.sh "$PWD/artifacts/bin/strata"
