#!/usr/bin/env bash
# `handoff check` on N briefs that have plans against `handoff validate --risks` on the same
# briefs (issue 17's floor for check: both load every brief and build its model; check also
# regenerates and compares each plan). Runs are interleaved so load from other work falls on
# both alike; prints each median. Not part of the test suite.
#
#   bash benches/check_vs_validate_risks.sh                         # target/release/handoff
#   BIN_BEFORE=/path/to/old/handoff RUNS=9 bash benches/check_vs_validate_risks.sh
#   N=500 bash benches/check_vs_validate_risks.sh
#
# The briefs are benches/gen_briefs.py's variations of briefs/ (all valid), built once with
# `handoff build --now 2027-01-04T09:00:00Z` into $WORK/plans; both commands run with
# SOURCE_DATE_EPOCH pinned to the same time, so they report the same risks.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/handoff}; RUNS=${RUNS:-7}; N=${N:-200}
WORK=${WORK:-$(mktemp -d)}
rm -rf "$WORK/briefs" "$WORK/plans" "$WORK/out"; mkdir -p "$WORK/briefs"
python3 benches/gen_briefs.py briefs "$WORK/briefs" "$N"
"$BIN" build "$WORK/briefs" --out "$WORK/out" --plans-dir "$WORK/plans" --now 2027-01-04T09:00:00Z >/dev/null
export SOURCE_DATE_EPOCH=1799053200 # 2027-01-04T09:00:00Z
for b in ${BIN_BEFORE:+"$BIN_BEFORE"} "$BIN"; do # both must pass, or the timing means nothing
  "$b" check "$WORK/briefs" --plans-dir "$WORK/plans" --format json >"$WORK/check.json" ||
    { echo "$b check failed on fresh plans"; head -c 2000 "$WORK/check.json"; exit 1; }
done
ALLOW_FAIL=1
source benches/timing.sh
for _ in $(seq 1 "$RUNS"); do
  for b in ${BIN_BEFORE:+"$BIN_BEFORE"} "$BIN"; do
    t "$b check" "$b" check "$WORK/briefs" --plans-dir "$WORK/plans"
    t "$b validate --risks" "$b" validate --risks "$WORK/briefs"
  done
done
uptime
report
