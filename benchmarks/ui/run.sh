#!/usr/bin/env bash
# The dashboard with a large fleet, measured in headless Chromium: a cara server (its own process,
# --auth none, MapDB store), `cara-agent simulate` registering NODES hollow agents that heartbeat
# every 30 s, then measure.py opening /ui/ and printing (a) the page load time until the table shows
# rows (a performance mark the page sets when it first draws rows, beside Navigation Timing) and
# (b) the live-update delay, from a node's drain or undrain sent to the server until its row's state
# changes in the DOM, over several samples; and (c) the longest main-thread task during live updates.
#
#   benchmarks/ui/run.sh
#   NODES=2000 LOADS=3 UPDATES=6 benchmarks/ui/run.sh
#
# Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and chromium-driver).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NODES=${NODES:-10000}
LOADS=${LOADS:-5}
UPDATES=${UPDATES:-10}
SERVER_XMX=${SERVER_XMX:-448m}
work=$(mktemp -d)
export AUTH=none   # the server reads it from the environment: this measures the page, not authentication
. "$root/benchmarks/lib/cara.sh"
agent_jar=${AGENT_JAR:-"$root/cara-agent/target/cara-agent.jar"}
[ -f "$agent_jar" ] || (cd "$root" && ./mvnw -q -DskipTests package -pl cara-agent -am)
for tool in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || { echo "$tool is missing: apt-get install chromium chromium-driver" >&2; exit 1; }
done

sim_pid=""
cleanup() {
  [ -z "$sim_pid" ] || { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }
  stop_cara
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/db"
start_cara "mapdb:$work/db/cara.db" "-Xmx$SERVER_XMX" || exit 1
echo "== $NODES simulated nodes against $url (server pid $server_pid)"
"$java" -Xmx1g -jar "$agent_jar" simulate --server "$url" --nodes "$NODES" --interval 30s --duration 30m \
    --ramp 0s --progress 30s >"$work/simulate.out" 2>&1 &
sim_pid=$!
for _ in $(seq 1 600); do
  registered=$( (curl -s "$url/api/v1/nodes" || true) | grep -o '"kind":"Node"' | wc -l || true)
  [ "$registered" -ge "$NODES" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { echo "the simulator stopped:" >&2; cat "$work/simulate.out" >&2; exit 1; }
  sleep 1
done
echo "registered: $registered nodes; letting one heartbeat interval pass so that all are Ready"
sleep 35
python3 "$root/benchmarks/ui/measure.py" "$url" "$LOADS" "$UPDATES"
