#!/usr/bin/env bash
# What remedies cost per decision (docs/remedies.md; figures go to
# docs/performance.md; nothing is asserted). On the decisions that are not
# approve of the sample (samples/applications) and of the Nanhai test cases
# (with their contexts and licences), one thread, medians of REPS
# repetitions measured in one run:
#   mode 0  the record's JSON (batch and serve without remedies)
#   mode 1  the same with remedies (batch --remedies, serve ?remedies=true)
#   mode 2  with remedies and the one-time notice (eval --notice: a Record)
# and, first, the ratio the target is about — what remedies add against the
# decision itself, at most 1.0 — from BM_RemediesRatio, which decides each
# application without and with remedies in the same iteration (the order
# alternating), so that this machine's drift falls on both alike.
#
#   bench/remedies_bench.sh [BUILD_DIR] [REPS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
REPS=${2:-15}
echo "== what remedies add, per decision that is not approve (medians of $REPS, interleaved)"
"$BUILD/bench/decide_bench" --benchmark_filter='BM_RemediesRatio' --benchmark_repetitions="$REPS" \
  --benchmark_min_time=0.3 --benchmark_report_aggregates_only=true 2>/dev/null |
  awk '/_median/ {
    w = $1; sub(/BM_RemediesRatio\//, "", w); sub(/_median/, "", w)
    for (i = 2; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "decision" || kv[1] == "remedies" || kv[1] == "ratio") v[kv[1]] = kv[2]
    }
    printf "%-7s decision %s ns, remedies add %s ns: %.2f x the decision itself (target <= 1.0)\n",
           w, v["decision"], v["remedies"], v["ratio"]
  }'
echo "== each way separately (medians of $REPS, random interleaving)"
"$BUILD/bench/decide_bench" --benchmark_filter='BM_Remedies/' --benchmark_repetitions="$REPS" \
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
      }
    }'
