#!/usr/bin/env bash
# The peers side by side with miaopi on FS-001 (bench/peers/run.mjs): makes
# the benchmark pack (samples/food_sales with a 10,000-entry blacklist) and
# N generated applications, installs the pinned npm packages when missing,
# and prints the table for docs/performance.md.
#
#   bench/peers/run.sh [BUILD_DIR] [N] [RUNS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build/release}" && pwd)
N=${2:-20000}
RUNS=${3:-3}
WORK="$BUILD/bench/peers"
mkdir -p "$WORK/pack/tables"
cp "$ROOT/samples/food_sales/food_sales.rules" "$WORK/pack/"
cp "$ROOT/samples/food_sales/tables/foshan_districts.csv" "$WORK/pack/tables/"
"$BUILD/bench/gen_food_sales" --blacklist 10000 >"$WORK/pack/tables/credit_blacklist.csv"
"$BUILD/bench/gen_food_sales" "$N" 42 >"$WORK/apps.jsonl"
[[ -d "$HERE/node_modules" ]] || "$HERE/install.sh"
cd "$HERE"
node run.mjs "$BUILD/apps/cli/miaopi" "$WORK/pack" "$WORK/apps.jsonl" --runs "$RUNS"
