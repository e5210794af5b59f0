#!/usr/bin/env bash
# The scale test on real processes (deploy/local/cluster.sh): under steady load from `parley load`, (a) a silo joins,
# (b) a silo stops gracefully, (c) a silo is killed with SIGKILL, (d) the whole cluster restarts. Afterwards every
# acknowledged turn is read back (`parley load --verify`): lost and duplicated turns are counted. Writes the load report
# (JSON), the events, /health samples of a surviving silo, and a summary (errors by code and their duration, p99 before,
# during and after each event) to the output folder.
#
#   deploy/local/scale-test.sh [--transport client|http] [--users N] [--out DIR] [--events "add stop kill restart"] [--seconds 330]
#
# Takes about 8 minutes with all four events (--events "kill" --seconds 90 measures a hard kill alone). It starts its own cluster (PARLEY_LOCAL_BASE, default 22000 here so it does not collide with a
# cluster you run by hand on 21000) and stops everything it started at the end, also on failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
transport=client; users=16; out="$ROOT/artifacts/scale-test"; events_to_run="add stop kill restart"; seconds=330
while [ $# -gt 0 ]; do
  case $1 in
    --transport) transport=$2; shift 2;; --users) users=$2; shift 2;; --out) out=$2; shift 2;;
    --events) events_to_run=$2; shift 2;; --seconds) seconds=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
export PARLEY_LOCAL_BASE="${PARLEY_LOCAL_BASE:-22000}"
mkdir -p "$out"; out="$(cd "$out" && pwd)"
export PARLEY_LOCAL_DIR="$out/cluster"
cluster="$ROOT/deploy/local/cluster.sh"
rm -rf "$out"; mkdir -p "$out"
events="$out/events.tsv"; : >"$events"
event() { echo -e "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\t$1" | tee -a "$events"; }

load_pid=""; health_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  [ -n "$health_pid" ] && kill "$health_pid" 2>/dev/null || true
  "$cluster" down || true
}
trap cleanup EXIT

"$cluster" up --silos 2 --frontends 1
dotnet build "$ROOT/src/Parley.Cli" -c Release -v q -nologo >"$out/cli-build.log" 2>&1 || { tail -20 "$out/cli-build.log"; exit 1; }
eval "$("$cluster" env)"

# /health of a silo that survives the kill (silo 3, which joins, or silo 1 when no silo joins) every 0.5 s: time, status.
watched=1; case " $events_to_run " in *" add "*) watched=3;; esac
echo "silo $watched" >"$out/health-silo.txt"
(
  while true; do
    echo -e "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)\t$(curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$((PARLEY_LOCAL_BASE + 300 + watched))/health")"
    sleep 0.5
  done
) >"$out/health.tsv" 2>/dev/null &
health_pid=$!

args=(load --users "$users" --duration "$seconds" --warmup 0 --no-baselines --verify --json "$out/load.json")
if [ "$transport" = http ]; then args+=(--http "$PARLEY_FRONTENDS"); else args+=(--connect); fi
event "load start ($transport, $users users)"
(cd "$out" && exec dotnet "$ROOT/src/Parley.Cli/bin/Release/net10.0/parley.dll" "${args[@]}" >"$out/load.txt" 2>"$out/load.err") &
load_pid=$!

for e in $events_to_run; do
  case $e in
    add)     sleep 25; event "add silo 3";      "$cluster" add-silo;    event "silo 3 ready";;
    stop)    sleep 20; event "stop silo 1";     "$cluster" stop-silo 1; event "silo 1 stopped";;
    kill)    sleep 20; event "kill silo 2";     "$cluster" kill-silo 2; event "silo 2 killed";;
    restart) sleep 30; event "restart cluster"; "$cluster" restart;     event "cluster restarted";;
    *) echo "unknown event $e" >&2; exit 2;;
  esac
done
wait "$load_pid" || echo "parley load exited with $?" >&2
load_pid=""
event "load end"
kill "$health_pid" 2>/dev/null || true; health_pid=""
for f in "$PARLEY_LOCAL_DIR"/*.log; do echo -e "$(basename "$f")\t$(stat -c %s "$f")"; done >"$out/log-sizes.tsv"
python3 "$ROOT/deploy/local/scale-summary.py" "$out" | tee "$out/summary.md"
