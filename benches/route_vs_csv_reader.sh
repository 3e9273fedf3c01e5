#!/usr/bin/env bash
# `handoff route` on a 1,000,000-lead export against a bare Python `csv.reader` loop over the
# same file (the floor issue 17 measures route by), interleaved run by run so that load from
# other work falls on both alike; prints each run and the medians. Not part of the test suite.
#
#   bash benches/route_vs_csv_reader.sh                          # target/release/handoff
#   BIN_BEFORE=/tmp/handoff-old RUNS=9 bash benches/route_vs_csv_reader.sh   # also an older build
#
# The file is written once by `handoff route briefs/enterprise-pipeline.yaml --synthesize` (4
# columns, `created_at` a civil time in the brief's zone) to $WORK/leads.csv and routed with
# `--open-for 1h --format json`, with and without the SLA replay (`--no-sla`), as in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/handoff}; RUNS=${RUNS:-7}; LEADS=${LEADS:-1000000}
WORK=${WORK:-$(mktemp -d)}; BRIEF=briefs/enterprise-pipeline.yaml; F=$WORK/leads.csv
[ -s "$F" ] || "$BIN" route "$BRIEF" --synthesize "$LEADS" --out "$F" >/dev/null
cat >"$WORK/loop.py" <<'PY'
import csv, sys
n = 0
with open(sys.argv[1], newline="") as f:
    for row in csv.reader(f):
        n += 1
print(n)
PY
source benches/timing.sh
for _ in $(seq 1 "$RUNS"); do
  for b in ${BIN_BEFORE:+"$BIN_BEFORE"} "$BIN"; do
    t "$b sla" "$b" route "$BRIEF" --leads "$F" --open-for 1h --format json
    t "$b no-sla" "$b" route "$BRIEF" --leads "$F" --open-for 1h --format json --no-sla
  done
  t "python csv.reader" python3 "$WORK/loop.py" "$F"
done
uptime
report
