# Sourced by the side-by-side benchmark scripts (not run alone): `t NAME CMD...` runs CMD once,
# its output dropped, and adds its wall time to NAME's runs; `report` prints each NAME's median,
# fastest and slowest, sorted by name. A failing CMD stops the benchmark unless the script sets
# ALLOW_FAIL=1 (a command whose exit status is not what is measured).
declare -A runs
t() {
  local s e rc=0
  s=$(date +%s.%N); "${@:2}" >/dev/null 2>&1 || rc=$?; e=$(date +%s.%N)
  if [ "$rc" != 0 ] && [ "${ALLOW_FAIL:-0}" != 1 ]; then echo "$1: exit $rc" >&2; exit 1; fi
  runs[$1]+=" $(echo "$e - $s" | bc)"
}
report() {
  local k
  for k in "${!runs[@]}"; do
    echo "$k:${runs[$k]}" | python3 -c '
import statistics, sys
name, _, vals = sys.stdin.read().rpartition(":")
v = [float(x) for x in vals.split()]
print(f"{name}: median {statistics.median(v):.3f} s (min {min(v):.3f}, max {max(v):.3f}, {len(v)} runs)")'
  done | sort
}
