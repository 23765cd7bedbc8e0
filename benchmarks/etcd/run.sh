#!/usr/bin/env bash
# Peer comparison (P9): cara's heartbeats on its MapDB store against etcd's v3 puts, the write behind
# every Kubernetes node-lease renewal, under the same wrk load, alternating bursts in one run. Prints
# requests/s, p99 and the ratio cara (MapDB) / etcd for each wrk setting (goal: >= 3).
#
#   benchmarks/etcd/run.sh
#   SETTINGS="2x64" ROUNDS=4 DURATION=5s benchmarks/etcd/run.sh
#
# Installs Debian's etcd-server when etcd is missing (needs root and apt). etcd runs on 127.0.0.1 only
# with a temporary data directory, with its defaults (fsync on every commit, as in production), and is
# stopped at the end. Needs wrk (apt-get install wrk).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/benchmarks/etcd"
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-4}
WARMUP=${WARMUP:-5s}
SETTINGS=${SETTINGS:-"1x32 2x64"}
export NODES=${NODES:-1000}
work=$(mktemp -d)

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
if ! command -v etcd >/dev/null; then
  echo "etcd is not installed; installing Debian's etcd-server and etcd-client" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null
fi
. "$root/benchmarks/lib/cara.sh"

etcd_pid=""
cleanup() {
  stop_cara
  if [ -n "$etcd_pid" ]; then kill "$etcd_pid" 2>/dev/null || true; wait "$etcd_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
client_port=$(free_port)
peer_port=$(free_port)
etcd_url="http://127.0.0.1:$client_port"
etcd --name bench --data-dir "$work/etcd" \
  --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "bench=http://127.0.0.1:$peer_port" --log-level error >"$work/etcd.out" 2>&1 &
etcd_pid=$!
for _ in $(seq 1 120); do
  curl -sf "$etcd_url/health" >/dev/null && break
  kill -0 "$etcd_pid" 2>/dev/null || { echo "etcd did not start:" >&2; cat "$work/etcd.out" >&2; exit 1; }
  sleep 0.25
done
echo "etcd $(etcd --version | awk '/etcd Version/ {print $3}') on $etcd_url (data in $work/etcd)"

start_cara "mapdb:$work/cara.db" || exit 1
register_nodes "$url" "$NODES"
echo "cara on $url (MapDB), $NODES nodes registered"

printf '%-22s %-26s %12s %10s\n' "setting" "workload" "requests/s" "p99 (medians of the rounds)"
for setting in $SETTINGS; do
  threads=${setting%x*}; connections=${setting#*x}
  wrk -t"$threads" -c"$connections" -d"$WARMUP" -s "$root/benchmarks/http/heartbeat.lua" "$url" >/dev/null 2>&1
  wrk -t"$threads" -c"$connections" -d"$WARMUP" -s "$here/put.lua" "$etcd_url" >/dev/null 2>&1
  : >"$work/rounds"
  errors=0
  for round in $(seq 1 "$ROUNDS"); do
    wrk -t"$threads" -c"$connections" -d"$DURATION" --latency -s "$root/benchmarks/http/heartbeat.lua" "$url" \
      >"$work/cara.wrk"
    wrk -t"$threads" -c"$connections" -d"$DURATION" --latency -s "$here/put.lua" "$etcd_url" >"$work/etcd.wrk"
    errors=$((errors + $(non_2xx "$work/cara.wrk") + $(non_2xx "$work/etcd.wrk")))
    echo "$(rps "$work/cara.wrk") $(p99 "$work/cara.wrk") $(rps "$work/etcd.wrk") $(p99 "$work/etcd.wrk")" >>"$work/rounds"
  done
  python3 - "-t$threads -c$connections" "$work/rounds" "$errors" <<'PY'
import re, statistics, sys
label, rounds, errors = sys.argv[1], sys.argv[2], sys.argv[3]
def ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = [line.split() for line in open(rounds) if line.strip()]
cara = [float(r[0]) for r in rows]; etcd = [float(r[2]) for r in rows]
print(f"{label:<22} {'cara heartbeat (MapDB)':<26} {statistics.median(cara):12.0f} {statistics.median(ms(r[1]) for r in rows):8.1f}ms")
print(f"{label:<22} {'etcd v3 put (JSON gateway)':<26} {statistics.median(etcd):12.0f} {statistics.median(ms(r[3]) for r in rows):8.1f}ms")
ratio = statistics.median(cara) / statistics.median(etcd)
per_round = " ".join(f"{c / e:.2f}" for c, e in zip(cara, etcd))
print(f"{label} ratio cara/etcd = {ratio:.2f}, goal >= 3: {'met' if ratio >= 3 else 'NOT met'} "
      f"(medians of {len(rows)} rounds; per round: {per_round}; unexpected answers: {errors})")
PY
done
