#!/usr/bin/env bash
# Where a heartbeat's time goes: runs the packaged server on one store under JFR while wrk drives
# heartbeat POSTs (heartbeat.lua), then prints the shares of CPU samples by thread and by method
# (inclusive, for cara's and MapDB's frames; and the hottest leaf frames), the allocation by site,
# and the lock waits (ThreadPark) by site.
#
#   benchmarks/http/profile.sh                         # mapdb in a temporary directory
#   STORE=memory: DURATION=20s benchmarks/http/profile.sh
#
# Needs wrk. Shares are within one recording; compare them, not absolute rates, on a busy machine.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/benchmarks/http"
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
export NODES=${NODES:-1000}
KEEP=${KEEP:-}   # a path: copy the recording there

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
. "$root/benchmarks/lib/cara.sh"   # builds the server if it is missing; sets java
bindir=$(dirname "$java")
work=$(mktemp -d)
trap 'stop_cara; rm -rf "$work"' EXIT
STORE=${STORE:-"mapdb:$work/cara.db"}

start_cara "$STORE" || { echo "the server did not start within 60 s" >&2; exit 1; }
register_nodes "$url" "$NODES"

wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$here/heartbeat.lua" "$url" >/dev/null 2>&1
"$bindir/jcmd" "$server_pid" JFR.start name=hb settings=profile filename="$work/hb.jfr" \
    'jdk.ExecutionSample#period=2ms' >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$here/heartbeat.lua" "$url" | awk '/Requests\/sec/ {print "heartbeats/s during the recording: " $2}'
"$bindir/jcmd" "$server_pid" JFR.stop name=hb >/dev/null
[ -z "$KEEP" ] || cp "$work/hb.jfr" "$KEEP"

echo "store $STORE, $NODES nodes, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
"$bindir/jfr" print --json --events jdk.ExecutionSample "$work/hb.jfr" >"$work/cpu.json"
"$bindir/jfr" print --json --events jdk.ThreadPark "$work/hb.jfr" >"$work/park.json"
python3 - "$work/cpu.json" "$work/park.json" <<'PY'
import collections, json, re, sys

def events(path):
    return json.load(open(path))["recording"]["events"]

def frames(e):
    st = e["values"].get("stackTrace") or {}
    # Type names come as io/helidon/...; lambdas as Foo$$Lambda/0x...: both made readable.
    return [re.sub(r"\$\$Lambda.*", "$$Lambda", f["method"]["type"]["name"].replace("/", ".")) + "." + f["method"]["name"]
            for f in st.get("frames", [])]

def thread(e):
    t = e["values"].get("sampledThread") or e["values"].get("eventThread") or {}
    name = t.get("javaName") or t.get("osName") or "?"
    return "request threads (WebServer socket)" if "WebServer socket" in name else re.sub(r"\d+", "N", name)

cpu = events(sys.argv[1])
n = len(cpu)
print(f"\n{n} CPU samples")
print("\nby thread:")
for name, c in collections.Counter(thread(e) for e in cpu).most_common(8):
    print(f"  {100 * c / n:5.1f}%  {name}")
inclusive = collections.Counter()
leaf = collections.Counter()
for e in cpu:
    fs = frames(e)
    if fs:
        leaf[fs[0]] += 1
    for f in set(fs):
        if f.startswith(("dev.cara.", "org.mapdb.")):
            inclusive[f] += 1
print("\ninclusive, cara and MapDB methods:")
for f, c in inclusive.most_common(25):
    print(f"  {100 * c / n:5.1f}%  {f}")
print("\nhottest leaf frames:")
for f, c in leaf.most_common(15):
    print(f"  {100 * c / n:5.1f}%  {f}")
for name in ("cara-mapdb-io", "cara-mapdb-committer"):
    mine = [e for e in cpu if thread(e) == name]
    inc = collections.Counter()
    for e in mine:
        for f in set(frames(e)):
            inc[f] += 1
    print(f"\n{name}: {100 * len(mine) / max(n, 1):.1f}% of all samples; inclusive within it:")
    for f, c in inc.most_common(12):
        print(f"  {100 * c / max(len(mine), 1):5.1f}%  {f}")

park = events(sys.argv[2])
sites = collections.Counter()
nanos = collections.Counter()
for e in park:
    fs = [f for f in frames(e) if f.startswith("dev.cara.")]
    site = fs[0] if fs else "(outside cara)"
    sites[site] += 1
    d = e["values"].get("duration", "PT0S")
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", d)
    nanos[site] += (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1e9 if m else 0
print(f"\n{len(park)} lock waits (jdk.ThreadPark, the waits over the profile settings' threshold of 10 ms), by cara site:")
for s, c in sites.most_common(10):
    print(f"  {c:6d}  {nanos[s] / 1e6:10.1f} ms  {s}")
PY
echo
"$bindir/jfr" view --width 160 allocation-by-site "$work/hb.jfr" | head -25
