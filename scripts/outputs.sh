#!/usr/bin/env bash
# Every observable output of handoff on the example and fixture briefs, for refactors that must
# not change behaviour: build, validate (all formats, with and without risks), check, route
# (every fixture export, every format, --open-for), monitor (the example and fixture exports,
# every format, a gate), sla, schema, init and --help.
#
#   scripts/outputs.sh target/release/handoff /tmp/before     # before the change
#   scripts/outputs.sh target/release/handoff /tmp/after      # after it
#   diff -r /tmp/before /tmp/after                            # must print nothing
#
# Outputs are written under one fixed temporary folder and then moved, because `build` prints
# the output path; runs take a lock so two at once do not mix.
set -u
cd "$(dirname "$0")/.."
BIN=$(realpath "$1"); FINAL=$(realpath -m "$2")
exec 9>/tmp/handoff-outputs.lock; flock 9
OUT=/tmp/handoff-outputs-current; rm -rf "$OUT" "$FINAL"; mkdir -p "$OUT"
NOW=2027-01-15T12:00:00Z
export SOURCE_DATE_EPOCH=  GITHUB_ACTIONS= GITHUB_STEP_SUMMARY=
unset SOURCE_DATE_EPOCH GITHUB_ACTIONS GITHUB_STEP_SUMMARY

for b in briefs/*.yaml tests/fixtures/*/*.yaml tests/invalid/*.yaml; do
  name=$(echo "$b" | tr '/' '_')
  d="$OUT/build/$name"; mkdir -p "$d"
  "$BIN" build "$b" --out "$d/out" --plans-dir "$d/plans" --now $NOW >"$d/stdout" 2>"$d/stderr"; echo $? >"$d/rc"
  for f in text json sarif github; do
    "$BIN" validate "$b" --format $f >"$d/validate.$f" 2>&1; echo $? >>"$d/validate.$f"
  done
  "$BIN" validate "$b" --risks --format json >"$d/validate.risks" 2>&1; echo $? >>"$d/validate.risks"
  if [ "$(cat $d/rc)" = 0 ]; then
    "$BIN" check "$b" --plans-dir "$d/plans" --format json >"$d/check.json" 2>&1; echo $? >>"$d/check.json"
    "$BIN" check "$b" --plans-dir "$d/plans" >"$d/check.text" 2>&1; echo $? >>"$d/check.text"
  fi
done
# route
for b in tests/fixtures/route/*.yaml briefs/*.yaml; do
  name=$(echo "$b" | tr '/' '_')
  for leads in tests/fixtures/route/*.csv; do
    for f in text json csv; do
      "$BIN" route "$b" --leads "$leads" --format $f >"$OUT/route.$name.$(basename $leads).$f" 2>&1; echo $? >>"$OUT/route.$name.$(basename $leads).$f"
    done
    "$BIN" route "$b" --leads "$leads" --open-for 1h --format json >"$OUT/route.$name.$(basename $leads).open" 2>&1; echo $? >>"$OUT/route.$name.$(basename $leads).open"
  done
done
# monitor: the example export and the fixture, every format, a window and a gate
for pair in "briefs/enterprise-pipeline.yaml examples/enterprise-pipeline-actuals.csv" \
            "tests/fixtures/monitor/small.yaml tests/fixtures/monitor/actuals.csv"; do
  set -- $pair; name=$(echo "$2" | tr '/' '_')
  for f in text json markdown html; do
    "$BIN" monitor "$1" --actuals "$2" --now 2027-03-01T15:00:00Z --format $f >"$OUT/monitor.$name.$f" 2>&1; echo $? >>"$OUT/monitor.$name.$f"
  done
  "$BIN" monitor "$1" --actuals "$2" --now 2027-03-01T15:00:00Z --window 24h --fail-under 0.9 --format json \
    >"$OUT/monitor.$name.gate" 2>&1; echo $? >>"$OUT/monitor.$name.gate"
done
# sla
"$BIN" sla --leads-per-hour 120 --touch-minutes 5 --reps 20 --sla 1h --max-occupancy 0.5 >"$OUT/sla1" 2>&1
"$BIN" sla --leads-per-hour 120 --touch-minutes 5 --reps 20 --sla 1h --format json >"$OUT/sla2" 2>&1
"$BIN" sla --leads-per-hour 30 --touch-minutes 12 --reps 8 --sla 15m --target 0.8 --shrinkage 0.3 --format json >"$OUT/sla3" 2>&1
"$BIN" schema brief >"$OUT/schema.brief"; "$BIN" schema plan >"$OUT/schema.plan"
tmp=$(mktemp -d); (cd $tmp && "$BIN" init x.yaml >/dev/null 2>&1; cat x.yaml) >"$OUT/init"; rm -rf $tmp
"$BIN" --help >"$OUT/help"; for c in build validate check route monitor sla init; do "$BIN" $c --help >"$OUT/help.$c"; done

mv "$OUT" "$FINAL"
