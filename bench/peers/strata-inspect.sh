#!/usr/bin/env bash
# "<bytes> <layers>" of an image, as the harness wants it.
exec "$1" inspect --format '{{.Size}} {{len .RootFS.Layers}}' "$2"
