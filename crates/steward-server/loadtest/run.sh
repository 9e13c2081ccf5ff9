#!/usr/bin/env bash
# Load test of `steward serve` over loopback with wrk (Debian package `wrk`).
#
#   crates/steward-server/loadtest/run.sh                      # embedded SQLite
#   crates/steward-server/loadtest/run.sh pg                   # a throwaway PostgreSQL 15 cluster
#   crates/steward-server/loadtest/run.sh postgres://u@h/db    # an existing PostgreSQL database
#   REPLICAS=3 crates/steward-server/loadtest/run.sh pg        # three replicas on one PostgreSQL
#
# Starts a release build on a fresh data directory, creates SUBJECTS subjects, then runs each
# scenario REPEAT times for DURATION seconds, prints wrk's reports, the server's resident memory
# at rest and at its peak under load, and a summary table of medians (summarize.py).
#
# Settings (environment): DURATION (s, 15), REPEAT (3), SUBJECTS (2000), CONNS (128), BATCH
# (10000), THREADS (wrk threads, 2: on a 2-core machine wrk takes CPU from the server), PORT,
# BIN (a steward binary to use instead of building one; SKIP_BUILD=1 skips the build), ONLY
# (a regular expression: only the scenarios whose name matches, e.g. ONLY=batch), REPLICAS
# (`steward serve` processes sharing the one PostgreSQL database and key ring, 1; with more
# than one, each scenario runs one wrk per replica at the same time, with CONNS and THREADS
# split between them, and the figures are their sums; PostgreSQL only).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
cd "$ROOT"
STORE="${1:-}"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}"
DURATION="${DURATION:-15}"
REPEAT="${REPEAT:-3}"
SUBJECTS="${SUBJECTS:-2000}"
CONNS="${CONNS:-128}"
BATCH="${BATCH:-10000}"
THREADS="${THREADS:-2}"
REPLICAS="${REPLICAS:-1}"
if ((REPLICAS > 1)) && [[ -z "$STORE" ]]; then
  echo "REPLICAS=$REPLICAS needs a shared PostgreSQL store (pg or a postgres:// URL)"; exit 1
fi
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
if [[ -z "${BIN:-}" ]]; then
  [[ "${SKIP_BUILD:-0}" == 1 ]] || cargo build --release -p steward >/dev/null
  BIN="$ROOT/target/release/steward"
fi
WORK="$(mktemp -d)"
chmod 755 "$WORK"
export STEWARD_LOG="${STEWARD_LOG:-warn}"
PID=""
PIDS=()
PG_DATA=""
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [[ -n "$PG_DATA" ]] && as_pg "$(pg_config --bindir)/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ "$STORE" == pg ]]; then
  # A throwaway PostgreSQL 15 cluster on a free loopback port (server defaults: fsync on,
  # synchronous_commit on), as ./scripts/test starts one; stopped on exit.
  PG_BIN="$(pg_config --bindir)"
  PG_DATA="$WORK/pg"
  [[ "$(id -u)" == 0 ]] && chown postgres "$WORK"
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U steward --auth=trust -E UTF8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $WORK -c max_connections=200" start >/dev/null
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U steward -d postgres -qc 'CREATE DATABASE steward' >/dev/null
  STORE="postgres://steward@127.0.0.1:$pg_port/steward"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ARGS=(--data-dir "$WORK/data")
if [[ -n "$STORE" ]]; then
  # The key ring of a shared database must exist: create it with a local command first.
  "$BIN" keys status --data-dir "$WORK/data" >/dev/null
  ARGS+=(--store "$STORE")
fi
# start_replica I PORT: one `steward serve`; its stdout in serve.out.I.
start_replica() {
  "$BIN" serve "${ARGS[@]}" --listen "127.0.0.1:$2" >"$WORK/serve.out.$1" 2>"$WORK/serve.log.$1" &
  PIDS+=("$!")
  for _ in $(seq 1 150); do grep -q "serving on" "$WORK/serve.out.$1" 2>/dev/null && break; sleep 0.2; done
  grep -q "serving on" "$WORK/serve.out.$1" || { echo "replica $1 did not start"; cat "$WORK/serve.log.$1"; exit 1; }
}
URLS=()
start_replica 1 "$PORT"
URLS+=("http://127.0.0.1:$PORT")
PID="${PIDS[0]}"
KEY="$(grep -o 'stw_[A-Za-z0-9_-]*' "$WORK/serve.out.1" | head -1)"
[[ -n "$KEY" ]] || { echo "no bootstrap key (an existing database?)"; cat "$WORK/serve.out.1" "$WORK/serve.log.1"; exit 1; }
for i in $(seq 2 "$REPLICAS"); do
  p="$(free_port)"
  start_replica "$i" "$p"
  URLS+=("http://127.0.0.1:$p")
done
URL="${URLS[0]}"
# Resident memory and CPU time are summed over the replicas.
rss_kb() { local t=0 p; for p in "${PIDS[@]}"; do t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$t"; }
echo "server pids ${PIDS[*]} ($REPLICAS replica(s)), store ${STORE:-sqlite}, rss at start: $(rss_kb) kB"
echo "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "creating $SUBJECTS subjects…"
seq 1 "$SUBJECTS" | xargs -P 8 -I{} curl -sf -X POST "$URL/v1/subjects" \
  -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"jurisdiction":"US-TX","identities":[{"kind":"email","value":"load{}@example.test"}]}' \
  | jq -r .id >"$WORK/ids"
wc -l <"$WORK/ids"
python3 "$HERE/gen_batch.py" "$BATCH" >"$WORK/batch_inline.json"
python3 "$HERE/gen_batch.py" "$BATCH" "$WORK/ids" >"$WORK/batch_stored.json"
python3 "$HERE/gen_batch.py" "$BATCH" "$WORK/ids" --template >"$WORK/batch_template.json"
python3 "$HERE/gen_events.py" "${EVENTS:-5000}" >"$WORK/events.json"
sleep 2
REST="$(rss_kb)"
echo "rss at rest (after set-up): $REST kB"

RESULTS="${RESULTS:-$WORK/results.tsv}"
: >"$RESULTS"
# The server's CPU time (user + system, every thread), in clock ticks: the cost per request
# is steadier than requests/s on a machine shared with other work.
HZ="$(getconf CLK_TCK)"
cpu_ticks() { local t=0 p; for p in "${PIDS[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
sample() { local peak=0 r; while kill -0 "$1" 2>/dev/null; do r=$(rss_kb); ((r > peak)) && peak=$r; echo "$peak" >"$WORK/peak"; sleep 0.5; done; }
# run NAME PER_REQUEST PATH wrk-args…: one wrk run per repetition (one wrk per replica at once,
# each against its replica's URL + PATH); each report goes to the results.
run() {
  local name="$1" per="$2" path="$3"; shift 3
  [[ "$name" =~ ${ONLY:-.} ]] || return 0
  for rep in $(seq 1 "$REPEAT"); do
    echo; echo "== $name (run $rep of $REPEAT; load average $(cut -d' ' -f1 /proc/loadavg))"
    echo 0 >"$WORK/peak"
    local cpu0; cpu0=$(cpu_ticks)
    local ws=() i
    for i in "${!URLS[@]}"; do
      wrk "$@" "${URLS[$i]}$path" >"$WORK/wrk.out.$i" &
      ws+=("$!")
    done
    sample "${ws[0]}"
    wait "${ws[@]}"
    local cpu=$(( $(cpu_ticks) - cpu0 ))
    for i in "${!URLS[@]}"; do
      ((REPLICAS > 1)) && echo "-- replica $((i + 1))"
      cat "$WORK/wrk.out.$i"
    done
    echo "peak rss: $(cat "$WORK/peak") kB; server cpu: $cpu ticks of 1/$HZ s"
    local cpu_s; cpu_s="$(python3 -c "print($cpu / $HZ)")"
    local parts=()
    for i in "${!URLS[@]}"; do parts+=("$WORK/wrk.out.$i"); done
    python3 "$HERE/summarize.py" --parse "$name" "$per" "$(cat "$WORK/peak")" "$cpu_s" "${parts[@]}" >>"$RESULTS"
  done
}
export KEY IDS_FILE="$WORK/ids"
# With several replicas the connections and wrk threads are split between them.
C=$(( (CONNS + REPLICAS - 1) / REPLICAS ))
T=$(( THREADS / REPLICAS )); ((T >= 1)) || T=1
C4=$(( (4 + REPLICAS - 1) / REPLICAS )); ((C4 >= T)) || C4=$T
W=(-t"$T" -d"${DURATION}s" --latency)
run "GET /healthz: no work, the HTTP stack's ceiling ($CONNS conns)" 1 /healthz "${W[@]}" -c"$C"
run "single decisions, stored subjects ($CONNS conns)" 1 "" "${W[@]}" -c"$C" -s "$HERE/decide.lua"
INLINE=1 run "single decisions, inline facts ($CONNS conns)" 1 "" "${W[@]}" -c"$C" -s "$HERE/decide.lua"
BODY_FILE="$WORK/batch_inline.json" run "batch of $BATCH, inline facts (4 conns)" "$BATCH" /v1/decisions/batch "${W[@]}" -c"$C4" -s "$HERE/batch.lua"
BODY_FILE="$WORK/batch_stored.json" run "batch of $BATCH, stored subjects (4 conns)" "$BATCH" /v1/decisions/batch "${W[@]}" -c"$C4" -s "$HERE/batch.lua"
BODY_FILE="$WORK/batch_template.json" run "batch template x $BATCH stored subjects (4 conns)" "$BATCH" /v1/decisions/batch "${W[@]}" -c"$C4" -s "$HERE/batch.lua"
BODY_FILE="$WORK/events.json" run "usage events, batches of ${EVENTS:-5000} (4 conns)" "${EVENTS:-5000}" /v1/events "${W[@]}" -c"$C4" -s "$HERE/batch.lua"
run "consent writes ($CONNS conns)" 1 "" "${W[@]}" -c"$C" -s "$HERE/choices.lua"
sleep 2
echo; echo "rss after load: $(rss_kb) kB"
curl -sf "$URL/metrics" -H "Authorization: Bearer $KEY" | grep -E '^steward_(audit_queue_depth|audit_batches_total|audit_events_appended_total|batch_decisions_total)' || true
echo; echo "store ${STORE:-sqlite}; $REPLICAS replica(s); rss at rest $REST kB; medians of $REPEAT runs of ${DURATION} s; $THREADS wrk threads"
python3 "$HERE/summarize.py" --table <"$RESULTS"
