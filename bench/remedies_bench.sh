#!/usr/bin/env bash
# What remedies cost per decision (docs/remedies.md; figures go to
# docs/performance.md; nothing is asserted). On the decisions that are not
# approve of the sample (samples/applications) and of the Nanhai test cases
# (with their contexts and licences), one thread, medians of REPS
# repetitions measured in one run:
#   mode 0  the record's JSON (batch and serve without remedies)
#   mode 1  the same with remedies (batch --remedies, serve ?remedies=true)
#   mode 2  with remedies and the one-time notice (eval --notice: a Record)
# and the ratio the target is about: what remedies add (mode 1 - mode 0)
# against the decision itself (mode 0) — at most 1.0.
#
#   bench/remedies_bench.sh [BUILD_DIR] [REPS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
REPS=${2:-15}
"$BUILD/bench/decide_bench" --benchmark_filter='BM_Remedies' --benchmark_repetitions="$REPS" \
  --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2 \
  --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '
    /_median"?,/ {
      name = $1; gsub(/"/, "", name)
      split(name, p, "/")             # BM_Remedies/sample/mode:2_median
      workload = p[2]; mode = p[3]; sub(/mode:/, "", mode); sub(/_median.*/, "", mode)
      t[workload, mode] = $4           # cpu_time, ns
      workloads[workload] = 1
    }
    END {
      for (w in workloads) {
        printf "%-7s decision %7.0f ns | with remedies %7.0f ns | with remedies and notice %7.0f ns\n",
               w, t[w, 0], t[w, 1], t[w, 2]
        printf "%-7s remedies add %.0f ns per decision that is not approve: %.2f x the decision itself (target <= 1.0)\n",
               w, t[w, 1] - t[w, 0], (t[w, 1] - t[w, 0]) / t[w, 0]
      }
    }'
