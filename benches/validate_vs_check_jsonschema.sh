#!/usr/bin/env bash
# `handoff validate` against `check-jsonschema` (the Python CLI of the same job) on 1,000 brief
# files, side by side; prints both times and the ratio. Not part of the test suite.
#
#   bash benches/validate_vs_check_jsonschema.sh            # 1,000 files (990 valid, 10 invalid)
#   N=5000 RUNS=3 bash benches/validate_vs_check_jsonschema.sh
#
# What runs:
# - the briefs are variations of the examples in briefs/ (each with its own id, title, volume
#   and head count), plus 1% made invalid in ways both tools see (a bad enum value, a misspelt
#   key, a wrong type), written to $WORK/briefs;
# - check-jsonschema is installed with pip into a throwaway virtual environment under $WORK
#   (nothing is installed system-wide) and run as
#   `check-jsonschema --schemafile schemas/brief.schema.json FILES...`;
# - handoff is the release build, run as users run it: `handoff validate DIR` (YAML with
#   positions, the same schema, and the semantic checks: the job check-jsonschema does, and
#   more); `handoff validate --risks DIR` is timed as well, which also builds each valid
#   brief's model for its design-risk warnings (the SLA simulation of every pod).
# - hyperfine when it is installed (`apt-get install hyperfine`), else a loop of `date +%s.%N`.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-1000}
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/handoff-bench}
SCHEMA="$ROOT/schemas/brief.schema.json"

mkdir -p "$WORK"
rm -rf "$WORK/briefs"
mkdir -p "$WORK/briefs"

echo "== building handoff (release)"
(cd "$ROOT" && cargo build --release --quiet)
HANDOFF="$ROOT/target/release/handoff"

echo "== generating $N briefs in $WORK/briefs"
python3 "$ROOT/benches/gen_briefs.py" "$ROOT/briefs" "$WORK/briefs" "$N" 100
FILES=("$WORK"/briefs/*.yaml)
echo "   ${#FILES[@]} files, $(du -sh "$WORK/briefs" | cut -f1)"

echo "== installing check-jsonschema into $WORK/venv"
if [ ! -x "$WORK/venv/bin/check-jsonschema" ]; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema
fi
PEER="$WORK/venv/bin/check-jsonschema"
"$PEER" --version

# Both must find the invalid files, or the comparison is meaningless.
set +e
"$PEER" --schemafile "$SCHEMA" "${FILES[@]}" >"$WORK/peer.out" 2>&1
peer_status=$?
"$HANDOFF" validate --format json "$WORK/briefs" >"$WORK/handoff.json" 2>"$WORK/handoff.err"
handoff_status=$?
set -e
echo "   check-jsonschema exit $peer_status; handoff exit $handoff_status ($(tail -1 "$WORK/handoff.err"))"
grep -c 'brief-' "$WORK/peer.out" | xargs echo "   check-jsonschema lines naming a file:"

peer_cmd="$PEER --schemafile $SCHEMA ${FILES[*]}"
handoff_cmd="$HANDOFF validate $WORK/briefs"
handoff_risks_cmd="$HANDOFF validate --risks $WORK/briefs"

time_loop() { # prints the mean wall time in seconds of RUNS runs of "$1"
  local total=0 start end
  for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    bash -c "$1" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    total=$(echo "$total + $end - $start" | bc -l)
  done
  echo "$total / $RUNS" | bc -l
}

echo "== timing ($RUNS runs each, $(nproc) cores)"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$RUNS" -i --export-json "$WORK/times.json" \
    -n check-jsonschema "$peer_cmd" -n "handoff validate" "$handoff_cmd" -n "handoff validate --risks" "$handoff_risks_cmd"
  read -r peer hand risks < <(python3 -c "import json;r=json.load(open('$WORK/times.json'))['results'];print(*[x['mean'] for x in r])")
else
  peer=$(time_loop "$peer_cmd")
  hand=$(time_loop "$handoff_cmd")
  risks=$(time_loop "$handoff_risks_cmd")
fi
printf '%-32s %8.3f s\n' "check-jsonschema" "$peer" "handoff validate" "$hand" "handoff validate --risks" "$risks"
printf 'ratio: handoff validate is %.1fx faster than check-jsonschema (--risks: %.1fx)\n' \
  "$(echo "$peer / $hand" | bc -l)" "$(echo "$peer / $risks" | bc -l)"
