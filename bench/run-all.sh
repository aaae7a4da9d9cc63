#!/usr/bin/env bash
# One dated run of every figure bench/README.md states: the machine and the load, then every BenchmarkDotNet class
# (short job), then the tools' own timers (verify, modelcheck, conform). Everything lands in bench/results/:
# the BenchmarkDotNet reports verbatim, and run.txt with the date, the commit, the hardware, the load before and
# after each step, and each tool's own summary line. Run it on a quiet machine from a clean checkout:
#
#     bash bench/run-all.sh
#
# About 35 minutes on 2 cores. Nothing else should run beside it: every figure in the README comes from one run.
set -euo pipefail
cd "$(dirname "$0")/.."

results=bench/results
log=$results/run.txt
cli=src/CoreSlice.Cli/bin/Release/net10.0/coreslice
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT

dotnet build CoreSlice.sln -c Release --nologo -v quiet >/dev/null

load() { printf '%s load: %s\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$log"; }
# time_step NAME COMMAND...: runs a tool, keeps its whole output in results/NAME.txt, its wall and CPU time in run.txt
time_step() {
  local name=$1
  shift
  load "$name: before"
  /usr/bin/time -f "$name: %e s wall, %U s user, %S s system, %M KB peak" -a -o "$log" "$@" >"$results/$name.txt" 2>&1
  load "$name: after"
}

{
  echo "# One run of every benchmark figure (bench/run-all.sh)"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- || echo ' (with uncommitted changes)')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) logical cores"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "dotnet: $(dotnet --version); z3: $(z3 --version 2>/dev/null || echo 'z3 binary not installed (verify uses libz3)')"
} >"$log"

load "benchmarks: before"
dotnet run -c Release --project bench/CoreSlice.Bench --no-build -- --filter '*' --job short --artifacts "$artifacts" >"$results/benchmarks.txt" 2>&1
load "benchmarks: after"
cp "$artifacts"/results/*-report-github.md "$results/"

time_step verify "$cli" verify --format json --output "$results/verify.json"
time_step modelcheck "$cli" modelcheck --require-exhaustive
time_step conform-from-modelcheck "$cli" conform --from-modelcheck --invariants-every 16
time_step conform-random "$cli" conform --steps 1000 --invariants-every 16

# the summary lines, next to the times above
{
  python3 - "$results/verify.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
slowest = max(d["obligations"], key=lambda o: o["ms"])
solver = sum(o["ms"] for o in d["obligations"]) / 1000
print(f"verify summary: {s['proved']} proved, {s['failed']} failed, {s['unknown']} unknown, "
      f"run {s['ms'] / 1000:.1f} s by its own timer, solver total {solver:.1f} s (the obligations' times summed), "
      f"slowest {slowest['name']} {slowest['ms'] / 1000:.1f} s, over 3 s: {sum(o['ms'] > 3000 for o in d['obligations'])}")
PY
  for step in modelcheck conform-from-modelcheck conform-random; do
    echo "$step: $(tail -n 3 "$results/$step.txt" | tr '\n' ' ')"
  done
} >>"$log"
cat "$log"
