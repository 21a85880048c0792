#!/usr/bin/env bash
# The case status endpoint under load: gunicorn with 2 workers on loopback, driven by wrk,
# beside a bare Django view (/healthz) on the same server, in turn, BENCH_ROUNDS times (3); then
# each worker's peak memory after 10,000 requests. Figures go to docs/performance.md.
#
#   bench/api_load.sh            # PostgreSQL at $BENCH_PG (default 127.0.0.1:5432), else SQLite
#
# Installs wrk with apt when run as root and it is missing. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
PORT=${BENCH_PORT:-8765}
CONNS=${BENCH_CONNECTIONS:-50}
SECONDS_PER_RUN=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null; else
        echo "wrk is required (apt-get install wrk)" >&2; exit 1; fi
fi

VAR=$(mktemp -d)
export ONEWINDOW_VAR_DIR=$VAR DEBUG=false
export ONEWINDOW_NOTIFY_BACKENDS=onewindow.cases.notify_backends.EmailBackend
if pg_isready -q -d "$PG/postgres"; then
    dropdb --if-exists -h 127.0.0.1 -U postgres onewindow_bench_api
    createdb -h 127.0.0.1 -U postgres onewindow_bench_api
    export DATABASE_URL=$PG/onewindow_bench_api
    DB=PostgreSQL
else
    unset DATABASE_URL
    DB=SQLite
fi
read -r CASE_ID TOKEN < <($BIN/python bench/api_load_setup.py | tail -1)

$BIN/gunicorn onewindow.wsgi:application --workers 2 --bind 127.0.0.1:$PORT \
    --pid "$VAR/gunicorn.pid" --log-level warning --daemon
trap 'kill $(cat "$VAR/gunicorn.pid") 2>/dev/null; rm -rf "$VAR"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

status_url="http://127.0.0.1:$PORT/api/cases/$CASE_ID/status"
curl -sf -H "Authorization: Bearer $TOKEN" "$status_url" >/dev/null \
    || { echo "status endpoint did not answer 200" >&2; exit 1; }

run() {  # label url [header]
    local out
    if [ -n "${3:-}" ]; then
        out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency -H "$3" "$2")
    else
        out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "$2")
    fi
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
    LAST_RPS=$rps
}

# The machine's speed drifts within minutes, so the two are measured in turn, ROUNDS times,
# and each round's ratio is printed with their median.
echo "gunicorn 2 sync workers, $DB, wrk -t2 -c$CONNS -d${SECONDS_PER_RUN}s, $(nproc) cores"
ratios=()
for round in $(seq "$ROUNDS"); do
    echo "round $round:"
    run "bare view (/healthz)" "http://127.0.0.1:$PORT/healthz"
    bare=$LAST_RPS
    run "case status (API token)" "$status_url" "Authorization: Bearer $TOKEN"
    ratios+=("$(awk -v s="$LAST_RPS" -v b="$bare" 'BEGIN {printf "%.1f", 100 * s / b}')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
echo "status requests/s as % of the bare view's, by round: ${ratios[*]}; median $median %"

# Peak memory of each worker after at least 10,000 more requests.
before=$(for pid in $(pgrep -P "$(cat "$VAR/gunicorn.pid")"); do
    awk '/VmRSS/ {print $2}' /proc/"$pid"/status; done | paste -sd/)
wrk -t2 -c10 -d60s -H "Authorization: Bearer $TOKEN" "$status_url" >"$VAR/wrk-mem.txt"
requests=$(awk '/requests in/ {print $1}' "$VAR/wrk-mem.txt")
for pid in $(pgrep -P "$(cat "$VAR/gunicorn.pid")"); do
    awk -v pid="$pid" -v before="$before" '/VmHWM/ {hwm=$2} /VmRSS/ {rss=$2}
        END {printf "worker %s: peak %.1f MB, now %.1f MB\n", pid, hwm/1024, rss/1024}' \
        /proc/"$pid"/status
done
echo "($requests requests in the memory run; RSS before it, kB: $before)"
