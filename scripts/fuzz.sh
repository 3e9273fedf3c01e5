#!/usr/bin/env bash
# Fuzz load → validate → model → plan → render for a set time with fresh seeds.
# Usage: scripts/fuzz.sh [SECONDS] [CASES_PER_ROUND]    (default 600 s, 2000 cases a round)
# Each round runs tests/fuzz_briefs.rs with a new seed; a failing round prints the seed and the
# minimal failing input, and the script exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
cases=${2:-2000}
cargo test --release --test fuzz_briefs --no-run >/dev/null 2>&1
end=$(( $(date +%s) + seconds ))
rounds=0
total=0
while [ "$(date +%s)" -lt "$end" ]; do
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  if ! HANDOFF_FUZZ_SEED=$seed HANDOFF_FUZZ_CASES=$cases cargo test --release --test fuzz_briefs -q >/tmp/handoff-fuzz.log 2>&1; then
    cat /tmp/handoff-fuzz.log
    echo "fuzz: FAILED with HANDOFF_FUZZ_SEED=$seed after $rounds rounds" >&2
    exit 1
  fi
  rounds=$((rounds + 1))
  total=$((total + cases))
done
echo "fuzz: $rounds rounds, $total generated briefs, no failure in ${seconds}s"
