#!/usr/bin/env bash
# `handoff build` of one brief against process start (`handoff --version`), issue 17's floor for
# build: the example briefs one at a time, with hyperfine (`apt-get install hyperfine`), runs
# interleaved with a before binary if given. Not part of the test suite.
#
#   bash benches/build_vs_version.sh                    # target/release/handoff
#   BIN_BEFORE=/path/to/old/handoff RUNS=30 bash benches/build_vs_version.sh
#
# Each build writes into a fresh temporary folder with its own plans folder and a pinned
# `--now`, so every run does the whole job (no plan to extend, nothing up to date).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/handoff}; RUNS=${RUNS:-30}
WORK=${WORK:-$(mktemp -d)}
[ -x "$BIN" ] || cargo build --release --locked
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 1; }
cmds=()
for b in ${BIN_BEFORE:+"$BIN_BEFORE"} "$BIN"; do
  cmds+=("$b --version")
  for brief in briefs/*.yaml; do
    cmds+=("$b build $brief --out $WORK/out --plans-dir $WORK/plans --now 2027-01-04T09:00:00Z")
  done
done
uptime
# --prepare empties the folders, so no run finds the plan of the one before.
hyperfine -N -w 3 -r "$RUNS" --prepare "rm -rf $WORK/out $WORK/plans" "${cmds[@]}"
uptime
