#!/usr/bin/env bash
# Load benchmark of the HTTP server: heartbeat POSTs against GET /api/v1/version (a no-op baseline),
# in the same run, on each store. Prints requests/s, p99 latency and the ratio heartbeat/baseline.
#
#   benchmarks/http/run.sh                       # memory: and mapdb (when its provider is on the class path)
#   STORES="memory:" ROUNDS=10 DURATION=5s benchmarks/http/run.sh
#   AUTH=token benchmarks/http/run.sh            # heartbeats carry a bearer token; the baseline stays open
#   AUTH=token TLS=1 benchmarks/http/run.sh      # and both go over HTTPS (a throw-away certificate, openssl)
#
# Needs wrk (apt-get install wrk). The server runs as its own process (the packaged jar) on 127.0.0.1;
# wrk and the server share the machine, so compare ratios within one run, not absolute numbers.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/benchmarks/http"
jar="$root/cara-server-helidon/target/cara-server.jar"
DURATION=${DURATION:-5s}   # one burst; each round has a baseline burst and a heartbeat burst
ROUNDS=${ROUNDS:-6}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
export NODES=${NODES:-1000}
work=$(mktemp -d)
STORES=${STORES:-"memory: mapdb:$work/cara.db"}
AUTH=${AUTH:-none}   # token: the server checks a bearer token on every heartbeat (GET /api/v1/version stays open)
TLS=${TLS:-0}        # 1: HTTPS for the baseline and the heartbeats alike, so the ratio isolates the heartbeat's own cost

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
java=$("$root/bin/cara-java")
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -DskipTests package -pl cara-server-helidon -am)

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

tls_flags=()
curl_tls=""
if [ "$TLS" = 1 ]; then
  command -v openssl >/dev/null || { echo "TLS=1 needs openssl (apt-get install openssl)" >&2; exit 1; }
  # A self-signed certificate for 127.0.0.1, made for this run only; openssl 3 writes the key as
  # PKCS#8, which the server wants. wrk does not verify certificates; curl trusts this one.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
  tls_flags=(--tls-cert "$work/tls.crt" --tls-key "$work/tls.key")
  curl_tls="$work/tls.crt"
fi
curl_opts=()
[ -n "$curl_tls" ] && curl_opts=(--cacert "$curl_tls")

# wrk --latency prints "Requests/sec:  12345.67" and a "99%  1.23ms" line.
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

printf '%-28s %-22s %12s %10s\n' "store" "workload" "requests/s" "p99 (medians of the rounds)"
for store in $STORES; do
  out="$work/server.out"
  rm -f "$work/admin-token"
  (cd "$work" && OPEN_VERSION=true exec "$java" --enable-native-access=ALL-UNNAMED -jar "$jar" --host 127.0.0.1 --port 0 \
      --store "$store" --auth "$AUTH" --admin-token-file "$work/admin-token" --heartbeat-timeout 90s "${tls_flags[@]}" >"$out" 2>&1) &
  server_pid=$!
  url=""
  for _ in $(seq 1 240); do
    url=$(sed -n 's/.*listening on \(https\{0,1\}:[^ ]*\).*/\1/p' "$out" | head -n1)
    [ -n "$url" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "server on $store did not start:" >&2; cat "$out" >&2; break; fi
    sleep 0.25
  done
  if [ -z "$url" ]; then server_pid=""; continue; fi
  auth_header="X-No-Auth: 1"
  if [ "$AUTH" = token ]; then auth_header="Authorization: Bearer $(cat "$work/admin-token")"; fi
  export AUTH_HEADER="$auth_header"   # heartbeat.lua sends it

  # Register bench-0 .. bench-(NODES-1) with one curl over one kept-alive connection.
  for i in $(seq 0 $((NODES - 1))); do
    [ "$i" -eq 0 ] || echo next
    printf 'url = "%s/api/v1/nodes"\nrequest = "POST"\nheader = "Content-Type: application/json"\nheader = "%s"\noutput = "/dev/null"\n' "$url" "$auth_header"
    [ -z "$curl_tls" ] || printf 'cacert = "%s"\n' "$curl_tls"   # options before "next" hold for one URL only
    printf 'data = "{\\"apiVersion\\":\\"caravanserai/v1\\",\\"kind\\":\\"Node\\",\\"metadata\\":{\\"name\\":\\"bench-%d\\"},\\"spec\\":{\\"hostname\\":\\"bench-%d.lan\\"}}"\n' "$i" "$i"
  done >"$work/register.curl"
  curl -s -K "$work/register.curl"
  registered=$(curl -s "${curl_opts[@]}" -H "$auth_header" "$url/api/v1/nodes" | grep -o '"name":"bench-' | wc -l)
  [ "$registered" -eq "$NODES" ] || echo "warning: $registered of $NODES nodes registered" >&2
  # Warm up both paths (JIT), then alternate ROUNDS pairs of bursts: baseline, heartbeat. On a shared
  # machine the throughput of the same endpoint drifts by 2x between bursts, so the ratio compares the
  # medians of the rounds rather than one burst of each.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url/api/v1/version" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/heartbeat.lua" "$url" >/dev/null 2>&1
  label="${store%%:*} auth=$AUTH tls=$TLS"
  : >"$work/rounds"
  errors=0
  for round in $(seq 1 "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url/api/v1/version" >"$work/base"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$here/heartbeat.lua" "$url" >"$work/hb" 2>"$work/hb.err"
    errors=$((errors + $(grep -c unexpected "$work/hb.err" || true)))
    echo "$(rps "$work/base") $(p99 "$work/base") $(rps "$work/hb") $(p99 "$work/hb")" >>"$work/rounds"
  done
  python3 - "$label" "$work/rounds" "$errors" <<'PY'
import re, statistics, sys
label, rounds, errors = sys.argv[1], sys.argv[2], sys.argv[3]
def ms(text):  # wrk prints latencies as 812.00us, 1.23ms or 1.02s
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rows = [line.split() for line in open(rounds) if line.strip()]
base = [float(r[0]) for r in rows]; hb = [float(r[2]) for r in rows]
base_p99 = statistics.median(ms(r[1]) for r in rows); hb_p99 = statistics.median(ms(r[3]) for r in rows)
print(f"{label:<28} {'GET /api/v1/version':<22} {statistics.median(base):12.0f} {base_p99:8.1f}ms")
print(f"{label:<28} {'POST heartbeat':<22} {statistics.median(hb):12.0f} {hb_p99:8.1f}ms")
per_round = " ".join(f"{h / b:.2f}" for h, b in zip(hb, base))
print(f"{label} ratio heartbeat/baseline = {statistics.median(hb) / statistics.median(base):.2f} "
      f"(medians of {len(rows)} rounds; per round: {per_round}; non-204 answers: {errors})")
PY

  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
done
