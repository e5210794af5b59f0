#!/usr/bin/env bash
# A real local Parley cluster on loopback: Azurite, N silos and M front ends as separate processes, Azure Table
# clustering and Azure Table storage, all on 127.0.0.1 (silo and gateway ports bound to it, not to 0.0.0.0).
#
#   deploy/local/cluster.sh up [--silos N] [--frontends M]   build (Release) once, start Azurite, N silos, M front ends
#   deploy/local/cluster.sh add-silo                          start one more silo (joins the running cluster)
#   deploy/local/cluster.sh stop-silo I                       stop silo I gracefully (SIGTERM; waits until it has left)
#   deploy/local/cluster.sh kill-silo I                       kill silo I hard (SIGKILL), as a crash would
#   deploy/local/cluster.sh restart                           stop every silo and front end gracefully, start them again
#   deploy/local/cluster.sh status                            processes, URLs, /health of each
#   deploy/local/cluster.sh env                               the variables a client needs (parley load --connect / --http)
#   deploy/local/cluster.sh down                              stop everything it started, by process id
#
# State (process ids, logs, the generated signing key, Azurite's data) lives in $PARLEY_LOCAL_DIR (default
# artifacts/local-cluster, git-ignored). Ports start at $PARLEY_LOCAL_BASE (default 21000): Azurite +0..+2, silo I's
# silo port +100+I, gateway +200+I, HTTP +300+I, front end J's HTTP +400+J. Every Parley__* variable set in the caller's
# environment is passed through and wins over the defaults below (for example Parley__Cluster__Membership__ProbeTimeout).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE="${PARLEY_LOCAL_DIR:-$ROOT/artifacts/local-cluster}"
mkdir -p "$STATE"; STATE="$(cd "$STATE" && pwd)"
BASE="${PARLEY_LOCAL_BASE:-21000}"
AZURITE_VERSION=3.37.0
SILO_DLL="$ROOT/src/Parley.Silo/bin/Release/net10.0/Parley.Silo.dll"
ACCOUNT_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

die() { echo "cluster.sh: $*" >&2; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
now() { date -u +%H:%M:%S.%3N; }

connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$ACCOUNT_KEY;BlobEndpoint=http://127.0.0.1:$BASE/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((BASE + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((BASE + 2))/devstoreaccount1;"
}

# The environment every silo, front end and client of this cluster shares.
cluster_env() {
  cat <<EOF
export Parley__Storage__Provider=AzureStorage
export Parley__Cluster__Provider=AzureStorage
export Parley__Storage__ConnectionString='$(connection_string)'
export Parley__Cluster__ServiceId=parley-local
export Parley__Cluster__ClusterId=local
export Parley__Auth__SigningKey='$(cat "$STATE/signing-key")'
export Parley__Auth__Issuer=parley
export Parley__Auth__Audience=parley-api
export Parley__Cluster__Messaging__ResponseTimeout='${Parley__Cluster__Messaging__ResponseTimeout:-00:00:10}'
export Parley__Conversation__ClassifierTimeout='${Parley__Conversation__ClassifierTimeout:-00:00:03}'
export Parley__Conversation__ChatTimeout='${Parley__Conversation__ChatTimeout:-00:00:02}'
export Parley__Cluster__Gateway__GatewayListRefreshPeriod='${Parley__Cluster__Gateway__GatewayListRefreshPeriod:-00:00:05}'
EOF
}

wait_for_port() {  # port, pid file, what, seconds
  local deadline=$((SECONDS + ${4:-120}))
  until (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    alive "$2" || die "$3 exited; see its log in $STATE"
    [ $SECONDS -lt $deadline ] || die "$3 did not listen on port $1 within ${4:-120} s"
    sleep 0.2
  done
}

wait_ready() {  # url, pid file, what: until /health/ready answers 200
  local deadline=$((SECONDS + 180))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/health/ready" 2>/dev/null)" = 200 ]; do
    alive "$2" || die "$3 exited; see its log in $STATE"
    [ $SECONDS -lt $deadline ] || die "$3 not ready at $1/health/ready within 180 s"
    sleep 0.3
  done
}

build() {
  if [ -z "${PARLEY_LOCAL_NO_BUILD:-}" ]; then
    echo "$(now) building src/Parley.Silo (Release)..."
    dotnet build "$ROOT/src/Parley.Silo" -c Release -v q -nologo >"$STATE/build.log" 2>&1 || { tail -20 "$STATE/build.log"; die "build failed"; }
  fi
  [ -f "$SILO_DLL" ] || die "no $SILO_DLL"
}

start_azurite() {
  local script="$ROOT/.tools/azurite/node_modules/azurite/dist/src/azurite.js"
  if [ ! -f "$script" ]; then
    echo "$(now) installing azurite@$AZURITE_VERSION into .tools/azurite (npm)..."
    npm install --prefix "$ROOT/.tools/azurite" "azurite@$AZURITE_VERSION" --no-audit --no-fund --loglevel=error >/dev/null
  fi
  alive "$STATE/azurite.pid" && return
  mkdir -p "$STATE/azurite"
  node "$script" --silent --skipApiVersionCheck --location "$STATE/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$BASE" --queuePort $((BASE + 1)) --tablePort $((BASE + 2)) >"$STATE/azurite.log" 2>&1 &
  echo $! >"$STATE/azurite.pid"
  wait_for_port $((BASE + 2)) "$STATE/azurite.pid" "Azurite" 30
  echo "$(now) azurite pid $(cat "$STATE/azurite.pid") (table port $((BASE + 2)))"
}

# Starts one Parley process. role=Silo|FrontEnd, index.
start_process() {
  local role=$1 i=$2 name http
  if [ "$role" = Silo ]; then name="silo-$i"; http=$((BASE + 300 + i)); else name="frontend-$i"; http=$((BASE + 400 + i)); fi
  alive "$STATE/$name.pid" && die "$name is already running (pid $(cat "$STATE/$name.pid"))"
  (
    eval "$(cluster_env)"
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    export Urls="http://127.0.0.1:$http"
    export Parley__Role=$role
    export Parley__Cluster__AdvertisedIPAddress=127.0.0.1
    export Parley__Cluster__SiloPort=$((BASE + 100 + i)) Parley__Cluster__GatewayPort=$((BASE + 200 + i))
    # Load comes from one loopback address: lift the per-address and per-user limits (keep them in production).
    export Parley__Api__AddressRateLimitPermits="${Parley__Api__AddressRateLimitPermits:-1000000}"
    export Parley__Api__RateLimitPermits="${Parley__Api__RateLimitPermits:-100000}"
    export Parley__Api__PublicMetrics="${Parley__Api__PublicMetrics:-true}"
    # Fast failure detection for a crashed silo (see docs/operations.md for the trade-off): probe every second, declare a
    # silo dead after 2 missed probes by 1 voter, refresh the membership table every 2 s; clients refresh gateways every
    # 5 s and give up on an unanswered call after 10 s (cluster_env).
    export Parley__Cluster__Membership__ProbeTimeout="${Parley__Cluster__Membership__ProbeTimeout:-00:00:01}"
    export Parley__Cluster__Membership__NumMissedProbesLimit="${Parley__Cluster__Membership__NumMissedProbesLimit:-2}"
    export Parley__Cluster__Membership__NumVotesForDeathDeclaration="${Parley__Cluster__Membership__NumVotesForDeathDeclaration:-1}"
    export Parley__Cluster__Membership__TableRefreshTimeout="${Parley__Cluster__Membership__TableRefreshTimeout:-00:00:02}"
    cd "$(dirname "$SILO_DLL")"
    exec dotnet "$SILO_DLL" >>"$STATE/$name.log" 2>&1
  ) &
  echo $! >"$STATE/$name.pid"
  echo "$(now) $name pid $(cat "$STATE/$name.pid") http://127.0.0.1:$http$([ "$role" = Silo ] && echo " silo :$((BASE + 100 + i)) gateway :$((BASE + 200 + i))")"
}

ready() {  # name
  local http
  case $1 in silo-*) http=$((BASE + 300 + ${1#silo-}));; *) http=$((BASE + 400 + ${1#frontend-}));; esac
  wait_ready "http://127.0.0.1:$http" "$STATE/$1.pid" "$1"
  echo "$(now) $1 ready"
}

next_silo() { local i=1; while [ -f "$STATE/silo-$i.pid" ]; do i=$((i + 1)); done; echo $i; }

stop_pid() {  # pid file, signal, seconds to wait
  local pid; pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$2" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + ${3:-60}))
    while kill -0 "$pid" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { echo "pid $pid still running after ${3:-60} s: SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null || true; }
      sleep 0.1
    done
  fi
}

cmd=${1:-}; shift || true
mkdir -p "$STATE"
case $cmd in
  up)
    silos=2; frontends=1
    while [ $# -gt 0 ]; do
      case $1 in --silos) silos=$2; shift 2;; --frontends) frontends=$2; shift 2;; *) die "unknown option $1";; esac
    done
    [ -f "$STATE/signing-key" ] || openssl rand -base64 48 | tr -d '\n' >"$STATE/signing-key"
    build
    start_azurite
    for i in $(seq 1 "$silos"); do start_process Silo "$i"; ready "silo-$i"; done   # one at a time: the first creates the tables
    for j in $(seq 1 "$frontends"); do start_process FrontEnd "$j"; done
    for j in $(seq 1 "$frontends"); do ready "frontend-$j"; done
    ;;
  add-silo)
    i=$(next_silo); start_process Silo "$i"; ready "silo-$i";;
  stop-silo)
    [ -f "$STATE/silo-${1:?silo number}.pid" ] || die "no silo-$1"
    echo "$(now) stopping silo-$1 (SIGTERM)"; stop_pid "$STATE/silo-$1.pid" TERM 120; echo "$(now) silo-$1 stopped";;
  kill-silo)
    [ -f "$STATE/silo-${1:?silo number}.pid" ] || die "no silo-$1"
    echo "$(now) killing silo-$1 (SIGKILL)"; stop_pid "$STATE/silo-$1.pid" KILL 10; echo "$(now) silo-$1 killed";;
  restart)
    for f in "$STATE"/frontend-*.pid "$STATE"/silo-*.pid; do [ -f "$f" ] && alive "$f" && { echo "$(now) stopping $(basename "$f" .pid)"; stop_pid "$f" TERM 120; }; done
    for f in "$STATE"/silo-*.pid; do [ -f "$f" ] || continue; n=$(basename "$f" .pid); rm -f "$f"; start_process Silo "${n#silo-}"; ready "$n"; done
    for f in "$STATE"/frontend-*.pid; do [ -f "$f" ] || continue; n=$(basename "$f" .pid); rm -f "$f"; start_process FrontEnd "${n#frontend-}"; ready "$n"; done
    ;;
  status)
    for f in "$STATE"/*.pid; do
      [ -f "$f" ] || continue
      n=$(basename "$f" .pid); state=$(alive "$f" && echo running || echo exited)
      case $n in silo-*) url="http://127.0.0.1:$((BASE + 300 + ${n#silo-}))";; frontend-*) url="http://127.0.0.1:$((BASE + 400 + ${n#frontend-}))";; *) url="";; esac
      health=""; [ -n "$url" ] && [ "$state" = running ] && health="health $(curl -s -o /dev/null -w '%{http_code}' "$url/health") ready $(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready")"
      echo "$n pid $(cat "$f") $state $url $health"
    done;;
  env)
    [ -f "$STATE/signing-key" ] || die "not up"
    cluster_env
    urls=""; for f in "$STATE"/frontend-*.pid; do [ -f "$f" ] && n=$(basename "$f" .pid) && urls="$urls${urls:+,}http://127.0.0.1:$((BASE + 400 + ${n#frontend-}))"; done
    echo "export PARLEY_FRONTENDS='$urls'";;
  down)
    for f in "$STATE"/frontend-*.pid "$STATE"/silo-*.pid; do [ -f "$f" ] && { stop_pid "$f" TERM 120; rm -f "$f"; }; done
    [ -f "$STATE/azurite.pid" ] && { stop_pid "$STATE/azurite.pid" TERM 10; rm -f "$STATE/azurite.pid"; }
    echo "$(now) stopped";;
  *)
    sed -n '2,14p' "$0"; exit 2;;
esac
