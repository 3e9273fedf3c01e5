#!/usr/bin/env bash
# `handoff monitor` against `handoff route` on the same 1 M-row export (issue 14's aim: monitor
# no slower than route), with hyperfine if installed (`apt-get install hyperfine`), and the peak
# memory of monitor at 100,000 and 1,000,000 rows. Not part of the test suite.
#
#   bash benches/monitor_vs_route.sh                  # target/release/handoff
#   BIN_BEFORE=/path/to/old/handoff RUNS=7 bash benches/monitor_vs_route.sh
#
# The export is `route --synthesize`'s leads for briefs/enterprise-pipeline.yaml with a
# `first_touch_at` column: a seeded random 0–239 minutes after creation (civil time in the
# brief's zone, as created_at), one lead in fifty untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/handoff}; RUNS=${RUNS:-7}; N=${N:-1000000}
WORK=${WORK:-$(mktemp -d)}
BRIEF=briefs/enterprise-pipeline.yaml
NOW=2072-12-31T00:00:00Z # after the last synthetic lead
[ -x "$BIN" ] || cargo build --release --locked
"$BIN" route "$BRIEF" --synthesize "$N" --out "$WORK/leads.csv" >/dev/null
python3 - "$WORK/leads.csv" "$WORK/actuals.csv" <<'PY'
import csv, datetime, random, sys
random.seed(14)
with open(sys.argv[1]) as f, open(sys.argv[2], "w", newline="") as g:
    r, w = csv.reader(f), csv.writer(g, lineterminator="\n")
    head = next(r); w.writerow(head + ["first_touch_at"]); i = head.index("created_at")
    for row in r:
        if random.random() < 0.02:
            w.writerow(row + [""]); continue
        t = datetime.datetime.fromisoformat(row[i]) + datetime.timedelta(minutes=random.randrange(240))
        w.writerow(row + [t.isoformat()])
PY
head -100001 "$WORK/actuals.csv" >"$WORK/actuals100k.csv"
M="$BRIEF --actuals $WORK/actuals.csv --format json --now $NOW"
R="$BRIEF --leads $WORK/actuals.csv --format json"
cmds=()
for b in ${BIN_BEFORE:+"$BIN_BEFORE"} "$BIN"; do cmds+=("$b monitor $M" "$b route $R"); done
cmds+=("$BIN route $R --no-sla")
uptime
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 1 -r "$RUNS" "${cmds[@]}"
else
  for c in "${cmds[@]}"; do
    for _ in $(seq 1 "$RUNS"); do /usr/bin/time -f "%e s wall %U s user: $c" $c >/dev/null; done
  done
fi
for f in actuals100k actuals; do
  /usr/bin/time -f "peak %M KB: monitor $f.csv" "$BIN" monitor "$BRIEF" --actuals "$WORK/$f.csv" --format json --now "$NOW" >/dev/null
done
uptime
