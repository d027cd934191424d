#!/usr/bin/env bash
# Runs scenarios N times in a row (default 10) and prints one summary line per run, then whether every
# run gave the same result. Flaky steps show up as differing lines.
#   bash bench/repeat_scenarios.sh [N] [PATH...]     PATH defaults to scenarios/ (the examples);
#   bash bench/repeat_scenarios.sh 10 bench/corpus/scenarios/   the corpus scenarios (fetch the corpus first)
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
shift || true
paths=("$@")
[ ${#paths[@]} -eq 0 ] && paths=(scenarios/)
# The project's own venv first (make setup-test), else whatever `pagesight` is on PATH.
default=pagesight; [ -x .venv/bin/pagesight ] && default=.venv/bin/pagesight
PAGESIGHT=${PAGESIGHT:-$default}
results=()
for i in $(seq 1 "$n"); do
  out=$($PAGESIGHT run "${paths[@]}" --report "/tmp/pagesight-repeat-$i" 2>&1)
  code=$?
  line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  echo "run $i: exit $code, $line"
  if [ -z "$line" ]; then  # no summary: it never ran a scenario (no pagesight, a bad file, no browser)
    echo "$out" | tail -n 3; echo "run $i did not run the scenarios"; exit 2
  fi
  results+=("$code $line")
done
if [ "$(printf '%s\n' "${results[@]}" | sort -u | wc -l)" = 1 ]; then
  echo "all $n runs gave the same result"
else
  echo "runs differed"; exit 1
fi
