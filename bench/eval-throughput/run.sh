#!/usr/bin/env bash
# Throughput of `steward policy eval` (the policy-engine work): JSON request lines in, one
# decision line out per request, shipped policy, release build.
#
#   bench/eval-throughput/run.sh [LINES] [RUNS]     (defaults: 1000000 lines, 3 runs)
#
# Builds `steward` in release, generates LINES requests (gen_requests.py: a
# mix of can_use, can_disclose, can_send, can_set_tracker and
# effective_choices, ~40% with a small choices ledger, ~1% malformed) into a
# temp file, checks that every line gets an answer, then times
#   steward policy eval --now 2024-03-04T17:00:00Z < file > /dev/null
# RUNS times (hyperfine when installed, else bash `time`) and prints the
# median wall time and lines/s.
set -euo pipefail

LINES="${1:-1000000}"
RUNS="${2:-3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

cd "$ROOT"
cargo build --release -p steward >&2
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET_DIR/release/steward"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
REQ="$WORK/requests.jsonl"

echo "generating $LINES request lines ..." >&2
python3 "$HERE/gen_requests.py" "$LINES" > "$REQ"
echo "input: $(wc -l < "$REQ") lines, $(du -h "$REQ" | cut -f1)" >&2

# Sanity: one answer per line, and what the answers are.
"$BIN" policy eval --now 2024-03-04T17:00:00Z < "$REQ" | python3 -c '
import collections, json, sys
c = collections.Counter()
for line in sys.stdin:
    v = json.loads(line)
    c["error" if "error" in v else ("choices" if "allow" not in v else ("allow" if v["allow"] else "deny"))] += 1
total = sum(c.values())
print("answers: %d (allow %d, deny %d, effective_choices %d, error lines %d)" % (total, c["allow"], c["deny"], c["choices"], c["error"]), file=sys.stderr)
if total != int(sys.argv[1]):
    sys.exit("expected %s answers, got %d" % (sys.argv[1], total))
' "$LINES"

CMD="$BIN policy eval --now 2024-03-04T17:00:00Z < $REQ > /dev/null"
if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs "$RUNS" --export-json "$WORK/hf.json" "$CMD" >&2
    MEDIAN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/hf.json")"
else
    TIMES=()
    for _ in $(seq "$RUNS"); do
        START="$(date +%s.%N)"
        "$BIN" policy eval --now 2024-03-04T17:00:00Z < "$REQ" > /dev/null
        END="$(date +%s.%N)"
        TIMES+=("$(python3 -c "print($END - $START)")")
    done
    MEDIAN="$(printf '%s\n' "${TIMES[@]}" | sort -g | python3 -c 'import sys; xs=[float(x) for x in sys.stdin]; print(xs[len(xs)//2])')"
fi
python3 -c 'import sys; n=int(sys.argv[1]); t=float(sys.argv[2]); print("steward policy eval: %d lines, median %.3f s over %s runs -> %.0f lines/s (%.2f us/line)" % (n, t, sys.argv[3], n / t, t / n * 1e6))' "$LINES" "$MEDIAN" "$RUNS"
