#!/usr/bin/env bash
# `serverless <args>` (package, deploy, remove) with a temp dir of its own, removed afterwards: serverless-esbuild
# zips each function from a folder in the temp dir and then fails to delete it (a non-recursive remove), which left
# ~1.5 MB per function in /tmp at every package.
set -uo pipefail
own_tmp="$(mktemp -d "${TMPDIR:-/tmp}/serverless-XXXXXX")" || exit 1
trap 'rm -rf "$own_tmp"' EXIT
# This repo's osls (nx puts node_modules/.bin on PATH), never a download by npx.
TMPDIR="$own_tmp" serverless "$@"
