#!/usr/bin/env bash
# Everything CI runs: format check, type check (jest's swc strips types without checking them), lint, and
# every project's tests (unit, integration against real dynalite and an in-memory local cloud, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
npx prettier --check .
npx nx run-many -t typecheck lint test --outputStyle=static --parallel=2
