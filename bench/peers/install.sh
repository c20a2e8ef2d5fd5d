#!/usr/bin/env bash
# Installs the peers' pinned npm packages (package-lock.json) into
# bench/peers/node_modules. Needs Node.js 18+ and the npm registry; not part
# of ./scripts/test.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "Node.js is needed (apt install nodejs npm)"; exit 1; }
npm ci --no-audit --no-fund
