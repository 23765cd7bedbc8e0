#!/usr/bin/env bash
# Load benchmark of the HTTP server: heartbeat POSTs against GET /api/v1/version (a no-op baseline),
# in the same run, on each store and at each wrk setting (threads x connections). Prints requests/s,
# p99 latency and the ratio heartbeat/baseline with its goal (memory >= 0.8, MapDB >= 0.7).
#
#   benchmarks/http/run.sh                       # memory: and mapdb, at -t1 -c32 and -t2 -c64
#   STORES="memory:" SETTINGS="1x32" ROUNDS=10 DURATION=5s benchmarks/http/run.sh
#   PROFILE=/tmp/jfr benchmarks/http/run.sh      # also records a JFR profile of a heartbeat-only burst
#                                                # per store and setting (then: benchmarks/http/jfr-top.py FILE)
#   AUTH=token TLS=1 benchmarks/http/run.sh      # the same over HTTPS, each store served twice in the run:
#                                                # open (--auth none), then with tokens, where every heartbeat
#                                                # carries its node's credential; the baseline stays the same
#                                                # no-op in both (the version is served open: OPEN_VERSION=true,
#                                                # no token), so each server's heartbeats are measured against
#                                                # its own no-op and the token check's cost is the ratio of the
#                                                # two normalised figures (goal: >= 0.9, under 10 % lost)
#
# AUTH: none (default) or token. TLS: 0 (default) or 1 (a self-signed certificate made with openssl).
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
AUTH=${AUTH:-none}
TLS=${TLS:-0}
case "$AUTH" in none) MODES="none" ;; token) MODES="none token" ;; *) echo "AUTH must be none or token" >&2; exit 2 ;; esac
# With tokens on, the no-op baseline must not pay the token check itself: it is what the heartbeat is
# measured against, in each server, so that drift between the open and the token server cancels out.
export OPEN_VERSION=true

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
. "$root/benchmarks/lib/cara.sh"

cleanup() {
  stop_cara
  rm -rf "$work"
}
trap cleanup EXIT

tls_flags=""
tls_label=""
if [ "$TLS" = 1 ]; then
  tls_label=" tls"
  mkdir -p "$work/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>/dev/null
  tls_flags="--tls-cert $work/tls/cert.pem --tls-key $work/tls/key.pem"
fi

# Node credentials for bench-0 .. bench-(N-1), issued by the admin, one a line into $work/node-tokens.
# The admin token and the credentials stay in files ($CURL_CONFIG, TOKENS): never on a command line.
issue_node_tokens() {
  mkdir -p "$work/tok"
  for i in $(seq 0 $((NODES - 1))); do
    [ "$i" -eq 0 ] || echo next
    cat "$CURL_CONFIG"
    printf 'url = "%s/api/v1/tokens"\nrequest = "POST"\nheader = "Content-Type: application/json"\n' "$url"
    printf 'output = "%s/tok/%d"\ndata = "{\\"role\\":\\"node\\",\\"node\\":\\"bench-%d\\"}"\n' "$work" "$i" "$i"
  done >"$work/tokens.curl"
  curl -s -K "$work/tokens.curl"
  for i in $(seq 0 $((NODES - 1))); do
    grep -o '"token":"cara_[0-9a-f_]*"' "$work/tok/$i" | cut -d'"' -f4   # grep ends each with a newline
  done >"$work/node-tokens"
  [ "$(grep -c '^cara_' "$work/node-tokens")" -eq "$NODES" ] || echo "warning: not every node got a credential" >&2
}

: >"$work/summary"
printf '%-28s %-22s %12s %10s\n' "store" "workload" "requests/s" "p99 (medians of the rounds)"
for mode in $MODES; do
for store in $STORES; do
  label=${store%%:*}
  CARA_FLAGS="--auth $mode $tls_flags"
  [ "$mode" = token ] && CARA_FLAGS="$CARA_FLAGS --admin-token-file $work/admin-$label.token"
  export CARA_FLAGS
  start_cara "$store" || continue
  CURL_CONFIG="$work/curl.conf"
  : >"$CURL_CONFIG"
  [ "$TLS" = 1 ] && printf 'cacert = "%s"\n' "$work/tls/cert.pem" >>"$CURL_CONFIG"
  [ "$mode" = token ] && printf 'header = "Authorization: Bearer %s"\n' "$(cat "$work/admin-$label.token")" >>"$CURL_CONFIG"
  export CURL_CONFIG
  register_nodes "$url" "$NODES"
  if [ "$mode" = token ]; then issue_node_tokens; export TOKENS="$work/node-tokens"; else unset TOKENS; fi
  label="$label auth=$mode$tls_label"
  for setting in $SETTINGS; do
  THREADS=${setting%x*}; CONNECTIONS=${setting#*x}
  # Warm up both paths (JIT), then alternate ROUNDS pairs of bursts: baseline, heartbeat. On a shared
  # machine the throughput of the same endpoint drifts by 2x between bursts, so the ratio compares the
  # medians of the rounds rather than one burst of each.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/version.lua" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/heartbeat.lua" "$url" >/dev/null 2>&1
  if [ -n "$PROFILE" ]; then
    mkdir -p "$PROFILE"
    jfr="$PROFILE/${label// /-}-t${THREADS}c${CONNECTIONS}.jfr"   # no spaces: jcmd splits its arguments at them
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
  python3 - "$label -t$THREADS -c$CONNECTIONS" "$work/rounds" "$errors" "${store%%:*}" "$work/summary" "$mode" <<'PY'
import re, statistics, sys
label, rounds, errors, store, summary, mode = sys.argv[1:7]
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
setting = label.split()[-2] + label.split()[-1]
with open(summary, "a") as out:
    print(store, setting, mode, statistics.median(base), statistics.median(hb), base_us, hb_us, file=out)
PY
  done

  stop_cara
done
done

if [ "$AUTH" = token ]; then
  python3 - "$work/summary" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    store, setting, mode, base, hb, base_us, hb_us = line.split()
    rows[(store, setting, mode)] = (float(base), float(hb), float(base_us), float(hb_us))
print()
for (store, setting, mode), (base, hb, base_us, hb_us) in rows.items():
    if mode != "token" or (store, setting, "none") not in rows:
        continue
    obase, ohb, obase_us, ohb_us = rows[(store, setting, "none")]
    # Each server's heartbeats against its own no-op (the same open GET in both), then token over open:
    # what the token check leaves of a heartbeat's throughput, with the two servers' drift divided out.
    normalised = (hb / base) / (ohb / obase)
    print(f"{store} {setting} auth token/none: heartbeats/no-op {hb / base:.2f} with tokens, {ohb / obase:.2f} open -> "
          f"{normalised:.2f} of the open throughput (goal >= 0.9: {'met' if normalised >= 0.9 else 'NOT met'}); "
          f"raw heartbeats/s token/open {hb / ohb:.2f}, no-op/s {base / obase:.2f}; server CPU per heartbeat "
          f"{hb_us:.1f} us against {ohb_us:.1f} us open ({100 * (hb_us - ohb_us) / ohb_us:+.0f}%), per no-op "
          f"{base_us:.1f} against {obase_us:.1f} us")
PY
fi
