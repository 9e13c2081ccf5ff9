#!/usr/bin/env bash
# Load test of `steward serve` over loopback with wrk (Debian package `wrk`).
#
#   crates/steward-server/loadtest/run.sh                      # embedded SQLite
#   crates/steward-server/loadtest/run.sh postgres://u@h/db    # PostgreSQL
#
# Starts a release build on a fresh data directory, creates SUBJECTS subjects, then runs each
# scenario for DURATION seconds and prints wrk's report (requests/s, latency p50/p99) and the
# server's resident memory at rest and at its peak under load.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
cd "$ROOT"
STORE="${1:-}"
PORT="${PORT:-18080}"
DURATION="${DURATION:-15}"
SUBJECTS="${SUBJECTS:-2000}"
CONNS="${CONNS:-128}"
BATCH="${BATCH:-10000}"
[[ "${SKIP_BUILD:-0}" == 1 ]] || cargo build --release -p steward >/dev/null
BIN="$ROOT/target/release/steward"
WORK="$(mktemp -d)"
export STEWARD_LOG="${STEWARD_LOG:-warn}"
ARGS=(--data-dir "$WORK/data" --listen "127.0.0.1:$PORT")
if [[ -n "$STORE" ]]; then
  # The key ring of a shared database must exist: create it with a local command first.
  "$BIN" keys status --data-dir "$WORK/data" >/dev/null
  ARGS+=(--store "$STORE")
fi
"$BIN" serve "${ARGS[@]}" >"$WORK/serve.out" 2>"$WORK/serve.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q "serving on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.2; done
KEY="$(grep -o 'stw_[A-Za-z0-9_-]*' "$WORK/serve.out" | head -1)"
[[ -n "$KEY" ]] || { echo "no bootstrap key (an existing database?)"; cat "$WORK/serve.out" "$WORK/serve.log"; exit 1; }
URL="http://127.0.0.1:$PORT"
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
echo "server pid $PID, store ${STORE:-sqlite}, rss at start: $(rss_kb) kB"

echo "creating $SUBJECTS subjects…"
seq 1 "$SUBJECTS" | xargs -P 8 -I{} curl -sf -X POST "$URL/v1/subjects" \
  -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"jurisdiction":"US-TX","identities":[{"kind":"email","value":"load{}@example.test"}]}' \
  | jq -r .id >"$WORK/ids"
wc -l <"$WORK/ids"
python3 "$HERE/gen_batch.py" "$BATCH" >"$WORK/batch_inline.json"
python3 "$HERE/gen_batch.py" "$BATCH" "$WORK/ids" >"$WORK/batch_stored.json"
python3 "$HERE/gen_batch.py" "$BATCH" "$WORK/ids" --template >"$WORK/batch_template.json"
sleep 2
echo "rss at rest (after set-up): $(rss_kb) kB"

peak=0
sample() { while kill -0 "$1" 2>/dev/null; do r=$(rss_kb); ((r > peak)) && peak=$r; echo "$peak" >"$WORK/peak"; sleep 0.5; done; }
run() {
  local name="$1"; shift
  echo; echo "== $name"
  peak=0
  wrk "$@" & local w=$!
  sample "$w"
  wait "$w"
  echo "peak rss: $(cat "$WORK/peak") kB"
}
export KEY IDS_FILE="$WORK/ids"
run "single decisions, stored subjects ($CONNS connections)" -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/decide.lua" "$URL"
INLINE=1 run "single decisions, inline facts ($CONNS connections)" -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/decide.lua" "$URL"
BODY_FILE="$WORK/batch_inline.json" run "batch of $BATCH, inline facts (4 connections)" -t2 -c4 -d"${DURATION}s" --latency -s "$HERE/batch.lua" "$URL/v1/decisions/batch"
BODY_FILE="$WORK/batch_stored.json" run "batch of $BATCH, stored subjects (4 connections)" -t2 -c4 -d"${DURATION}s" --latency -s "$HERE/batch.lua" "$URL/v1/decisions/batch"
BODY_FILE="$WORK/batch_template.json" run "batch: one question for $BATCH stored subjects (4 connections)" -t2 -c4 -d"${DURATION}s" --latency -s "$HERE/batch.lua" "$URL/v1/decisions/batch"
run "consent writes ($CONNS connections)" -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$HERE/choices.lua" "$URL"
sleep 2
echo; echo "rss after load: $(rss_kb) kB"
curl -sf "$URL/metrics" -H "Authorization: Bearer $KEY" | grep -E '^steward_(audit_queue_depth|audit_batches_total|audit_events_appended_total|batch_decisions_total)' || true
