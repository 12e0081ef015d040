#!/usr/bin/env bash
# Prints one plain line, "N passed, N failed" (", N skipped" when any), summed over the TRX files given.
set -euo pipefail
passed=0; failed=0; skipped=0; total=0
for f in "$@"; do
  [ -f "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); e=$(get executed); p=$(get passed); fl=$(get failed); er=$(get error); to=$(get timeout); ab=$(get aborted)
  total=$((total + ${t:-0}))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${fl:-0} + ${er:-0} + ${to:-0} + ${ab:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$total" -eq 0 ]; then
  echo "no test results found" >&2
  exit 1
fi
line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
