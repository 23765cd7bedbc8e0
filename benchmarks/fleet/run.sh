#!/usr/bin/env bash
# Fleet scale on the MapDB store: a cara server (its own process, with the JVM options the shipped
# launcher examples/systemd/cara-server.service sets in JAVA_OPTS) and
# `cara-agent simulate` with 10,000 and then 100,000 hollow agents heartbeating every 30 s. The
# simulator reads the server's CPU time and RSS from /proc (--server-pid) and prints, per size:
# registration time of all nodes, server CPU microseconds per heartbeat over the steady state after
# registration, and the server's RSS at the end. Goals at 100,000 nodes: <= 30 us per heartbeat,
# RSS <= 512 MiB, registration <= 30 s.
#
#   benchmarks/fleet/run.sh
#   SIZES=10000 STEADY=60s SERVER_XMX=256m benchmarks/fleet/run.sh   # another -Xmx than the launcher's
#
# The agents start all at once (--ramp 0s), so registration runs flat out; their heartbeats then
# spread by the agents' own ±10% jitter. CPU per heartbeat is the server's own process time, so no
# other process's CPU is counted in it (the simulator shares the machine), but it still rises with
# the machine's load: a heartbeat is mostly thread wakeups, and those cost more on a busy machine
# (benchmarks/README.md, fleet scale: 91 to 127 us for the same build).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SIZES=${SIZES:-"10000 100000"}
INTERVAL=${INTERVAL:-30s}
STEADY=${STEADY:-90s}           # measured window: from one interval after the last registration, this long
DURATION=${DURATION:-900s}      # a cap: a run ends at the end of its steady window, or here at the latest
# What the launcher ships is what is measured: its JAVA_OPTS, read from the unit file, so the two
# cannot drift apart. SERVER_XMX replaces its -Xmx (the node set lives in the heap: ~220 MB live at
# 100,000 nodes).
launcher_opts=$(sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$root/examples/systemd/cara-server.service")
[ -n "$launcher_opts" ] || { echo "no JAVA_OPTS in examples/systemd/cara-server.service" >&2; exit 1; }
SERVER_XMX=${SERVER_XMX:-}
if [ -n "$SERVER_XMX" ]; then launcher_opts="$(echo "$launcher_opts" | sed 's/-Xmx[^ ]*//') -Xmx$SERVER_XMX"; fi
SIM_XMX=${SIM_XMX:-1g}
SERVER_OPTS=${SERVER_OPTS:-}    # more JVM options for the server, e.g. -XX:+UseStringDeduplication
work=$(mktemp -d)
. "$root/benchmarks/lib/cara.sh"
agent_jar=${AGENT_JAR:-"$root/cara-agent/target/cara-agent.jar"}
[ -f "$agent_jar" ] || (cd "$root" && ./mvnw -q -DskipTests package -pl cara-agent -am)

cleanup() {
  stop_cara
  rm -rf "$work"
}
trap cleanup EXIT

: >"$work/results"
for nodes in $SIZES; do
  rm -rf "$work/db" && mkdir -p "$work/db"
  # shellcheck disable=SC2086 # the options are words
  start_cara "mapdb:$work/db/cara.db" $launcher_opts $SERVER_OPTS || exit 1
  echo "== $nodes nodes at $INTERVAL, $STEADY of steady state (at most $DURATION in all) against $url (MapDB, server $launcher_opts $SERVER_OPTS, pid $server_pid)"
  "$java" "-Xmx$SIM_XMX" -jar "$agent_jar" simulate --server "$url" --nodes "$nodes" --interval "$INTERVAL" \
      --steady "$STEADY" --duration "$DURATION" --ramp 0s --progress 15s --server-pid "$server_pid" --report-json "$work/report.json"
  python3 - "$nodes" "$work/report.json" >>"$work/results" <<'PY'
import json, sys
nodes, report = sys.argv[1], json.load(open(sys.argv[2]))
server = report.get("server") or {}
reg = report.get("registrationSeconds")
cpu = server.get("cpuMicrosPerHeartbeat")
rss = server.get("rssBytes")
fmt = lambda v, f: "n/a" if v is None else f.format(v)
print(f"{int(nodes):>8,} {fmt(reg, '{:.1f}'):>16} {fmt(cpu, '{:.1f}'):>18} {fmt(None if rss is None else rss / 1048576, '{:.0f}'):>8}"
      f" {report['steadyHeartbeatsPerSecond'] or 0:>12.0f} {report['errorCount']:>7}")
PY
  echo "largest classes in the server's heap at the end:"
  "$jcmd" "$server_pid" GC.class_histogram 2>/dev/null | sed -n '4,13p' || true
  stop_cara
done

echo
printf '%8s %16s %18s %8s %12s %7s\n' nodes "registration s" "CPU us/heartbeat" "RSS MiB" "steady hb/s" errors
cat "$work/results"
echo "goals at 100,000 nodes: registration <= 30 s, <= 30 us CPU per heartbeat, RSS <= 512 MiB (server $launcher_opts $SERVER_OPTS)"
