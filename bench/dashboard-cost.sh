#!/usr/bin/env bash
# What the Orleans Dashboard costs the send path: one silo process (Release, memory storage) per run, loaded through the
# grain client (parley load --connect, 64 users, the realistic mix with same-run baselines), with the dashboard off, on
# with nobody watching, and on while an operator watches (its page's data routes polled every second, which turns on the
# dashboard's per-call profiler). Runs alternate so that drift in the machine's load hits every variant alike.
# Also the silo's CPU time over 30 idle seconds before each load (clock ticks of /proc/PID/stat, 100 per second).
# Usage: bench/dashboard-cost.sh [ROUNDS] [OUT_DIR]   (defaults: 2 rounds, artifacts/dashboard-cost)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
out=${2:-artifacts/dashboard-cost}
mkdir -p "$out"
dotnet build src/Parley.Silo -c Release -v q -nologo >/dev/null
dotnet build src/Parley.Cli -c Release -v q -nologo >/dev/null
silo_dll=src/Parley.Silo/bin/Release/net10.0/Parley.Silo.dll
parley=src/Parley.Cli/bin/Release/net10.0/parley
http=5991; export Parley__Cluster__SiloPort=21991 Parley__Cluster__GatewayPort=31991 Parley__Cluster__ClusterId=dashboard-cost

run() { # variant round
  local variant=$1 round=$2 enabled=true
  [ "$variant" = off ] && enabled=false
  # From its output folder, so that appsettings.Development.json (the development sign-in) applies.
  (cd "$(dirname "$silo_dll")" && ASPNETCORE_ENVIRONMENT=Development Urls=http://127.0.0.1:$http Parley__Dashboard__Enabled=$enabled \
    exec dotnet Parley.Silo.dll) >"$out/silo-$variant-$round.log" 2>&1 &
  local silo=$!
  until curl -fs "http://127.0.0.1:$http/health/ready" >/dev/null 2>&1; do
    kill -0 "$silo" 2>/dev/null || { echo "the silo stopped: $out/silo-$variant-$round.log" >&2; exit 1; }
    sleep 1
  done
  local watcher=""
  if [ "$variant" = watched ]; then
    local token
    token=$(curl -fs -X POST "http://127.0.0.1:$http/api/dev/sign-in" -H 'Content-Type: application/json' \
      -d '{"userName":"bench-operator","operator":true}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
    ( while true; do
        for route in DashboardCounters ClusterStats TopGrainMethods; do
          curl -fs -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$http/dashboard/$route" || true
        done
        sleep 1
      done ) &
    watcher=$!
  fi
  # The silo's own CPU time over 30 idle seconds (no load; the watcher, if any, polling): the dashboard's fixed cost.
  local before after
  before=$(awk '{print $14 + $15}' "/proc/$silo/stat")
  sleep 30
  after=$(awk '{print $14 + $15}' "/proc/$silo/stat")
  echo "$(( after - before ))" >"$out/idle-cpu-ticks-$variant-$round.txt"
  "$parley" load --connect --users 64 --duration 20 --baseline-duration 10 --json "$out/$variant-$round.json" >"$out/load-$variant-$round.txt" 2>&1
  [ -n "$watcher" ] && kill "$watcher"
  kill -TERM "$silo"; wait "$silo" || true
}

for round in $(seq 1 "$rounds"); do
  for variant in off on watched; do
    echo "round $round: dashboard $variant"
    run "$variant" "$round"
  done
done

python3 - "$out" "$rounds" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
print("| variant | round | idle silo CPU (30 s) | bare round trip calls/s | storage-bound calls/s | send path sends/s | sends / storage-bound | send p50 / p99 ms |")
print("|---|---|---|---|---|---|---|---|")
for variant in ("off", "on", "watched"):
    for r in range(1, rounds + 1):
        d = json.load(open(f"{out}/{variant}-{r}.json"))
        phases = {p["name"]: p for p in d["phases"]}
        mix = [p for n, p in phases.items() if n not in ("bare round trip", "storage-bound")][0]
        sb = phases["storage-bound"]["callsPerSecond"]
        lat = mix["sendLatency"]
        idle = int(open(f"{out}/idle-cpu-ticks-{variant}-{r}.txt").read()) / 100
        print(f"| {variant} | {r} | {idle:.2f} s | {phases['bare round trip']['callsPerSecond']:,.0f} | {sb:,.0f} | {mix['sendsPerSecond']:,.1f} | {d['ratios']['sendsToStorageBound']} | {lat['p50']:.0f} / {lat['p99']:.0f} |")
PY
