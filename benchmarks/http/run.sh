#!/usr/bin/env bash
# Load benchmark of the HTTP server: heartbeat POSTs against GET /api/v1/version (a no-op baseline),
# in the same run, on each store and at each wrk setting (threads x connections). Prints requests/s,
# p99 latency and the ratio heartbeat/baseline with its goal (memory >= 0.8, MapDB >= 0.7).
#
#   benchmarks/http/run.sh                       # memory: and mapdb, at -t1 -c32 and -t2 -c64
#   STORES="memory:" SETTINGS="1x32" ROUNDS=10 DURATION=5s benchmarks/http/run.sh
#   PROFILE=/tmp/jfr benchmarks/http/run.sh      # also records a JFR profile of a heartbeat-only burst
#                                                # per store and setting (then: benchmarks/http/jfr-top.py FILE)
#
# Needs wrk (apt-get install wrk). The server runs as its own process (the packaged jar) on 127.0.0.1;
# wrk and the server share the machine, so compare ratios within one run, not absolute numbers.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/benchmarks/http"
DURATION=${DURATION:-5s}   # one burst; each round has a baseline burst and a heartbeat burst
ROUNDS=${ROUNDS:-6}
WARMUP=${WARMUP:-5s}
SETTINGS=${SETTINGS:-"1x32 2x64"}   # wrk -tTHREADS -cCONNECTIONS, one entry per setting
PROFILE=${PROFILE:-}
export NODES=${NODES:-1000}
work=$(mktemp -d)
STORES=${STORES:-"memory: mapdb:$work/cara.db"}

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
. "$root/benchmarks/lib/cara.sh"

cleanup() {
  stop_cara
  rm -rf "$work"
}
trap cleanup EXIT

printf '%-28s %-22s %12s %10s\n' "store" "workload" "requests/s" "p99 (medians of the rounds)"
for store in $STORES; do
  start_cara "$store" || continue
  register_nodes "$url" "$NODES"
  label=${store%%:*}
  for setting in $SETTINGS; do
  THREADS=${setting%x*}; CONNECTIONS=${setting#*x}
  # Warm up both paths (JIT), then alternate ROUNDS pairs of bursts: baseline, heartbeat. On a shared
  # machine the throughput of the same endpoint drifts by 2x between bursts, so the ratio compares the
  # medians of the rounds rather than one burst of each.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/version.lua" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/heartbeat.lua" "$url" >/dev/null 2>&1
  if [ -n "$PROFILE" ]; then
    mkdir -p "$PROFILE"
    jfr="$PROFILE/$label-t${THREADS}c${CONNECTIONS}.jfr"
    "$jcmd" "$server_pid" JFR.start name=hb settings=profile 'jdk.ExecutionSample#period=1ms' \
      'jdk.CPUTimeSample#enabled=true' 'jdk.CPUTimeSample#throttle=1ms' >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$here/heartbeat.lua" "$url" >/dev/null 2>&1
    "$jcmd" "$server_pid" JFR.stop name=hb filename="$jfr" >/dev/null
    echo "profile of heartbeats on $label at -t$THREADS -c$CONNECTIONS: $jfr" >&2
  fi
  : >"$work/rounds"
  errors=0
  for round in $(seq 1 "$ROUNDS"); do
    c0=$(cpu_ticks "$server_pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/version.lua" "$url" >"$work/base"
    c1=$(cpu_ticks "$server_pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/heartbeat.lua" "$url" >"$work/hb"
    c2=$(cpu_ticks "$server_pid")
    errors=$((errors + $(non_2xx "$work/hb")))
    echo "$(rps "$work/base") $(p99 "$work/base") $(rps "$work/hb") $(p99 "$work/hb")" \
      "$((c1 - c0)) $(requests "$work/base") $((c2 - c1)) $(requests "$work/hb")" >>"$work/rounds"
  done
  python3 - "$label -t$THREADS -c$CONNECTIONS" "$work/rounds" "$errors" "$label" <<'PY'
import re, statistics, sys
label, rounds, errors, store = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
goal = {"memory": 0.8, "mapdb": 0.7}.get(store)
def ms(text):  # wrk prints latencies as 812.00us, 1.23ms or 1.02s
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = [line.split() for line in open(rounds) if line.strip()]
base = [float(r[0]) for r in rows]; hb = [float(r[2]) for r in rows]
base_p99 = statistics.median(ms(r[1]) for r in rows); hb_p99 = statistics.median(ms(r[3]) for r in rows)
print(f"{label:<28} {'GET /api/v1/version':<22} {statistics.median(base):12.0f} {base_p99:8.1f}ms")
print(f"{label:<28} {'POST heartbeat':<22} {statistics.median(hb):12.0f} {hb_p99:8.1f}ms")
per_round = " ".join(f"{h / b:.2f}" for h, b in zip(hb, base))
# Server CPU per request (USER_HZ = 100 ticks a second), over all rounds: the machine-independent view.
base_us = sum(float(r[4]) for r in rows) * 1e4 / sum(float(r[5]) for r in rows)
hb_us = sum(float(r[6]) for r in rows) * 1e4 / sum(float(r[7]) for r in rows)
print(f"{label:<28} {'server CPU per request':<22} {base_us:9.1f} us (version) {hb_us:7.1f} us (heartbeat): "
      f"CPU ratio version/heartbeat = {base_us / hb_us:.2f}")
ratio = statistics.median(hb) / statistics.median(base)
verdict = "" if goal is None else f", goal >= {goal}: {'met' if ratio >= goal else 'NOT met'}"
print(f"{label} ratio heartbeat/baseline = {ratio:.2f}{verdict} "
      f"(medians of {len(rows)} rounds; per round: {per_round}; non-2xx answers: {errors})")
PY
  done

  stop_cara
done
