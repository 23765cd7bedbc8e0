#!/usr/bin/env bash
# Start-up benchmark of caractrl: `caractrl get nodes` against `java -version` (the floor any JVM
# program pays), measured in the same hyperfine run, and the ratio (goal: 2.5 or lower).
#
#   benchmarks/cli/startup.sh                 # 30 runs each after 3 warm-ups
#   RUNS=50 NODES=20 benchmarks/cli/startup.sh
#
# Needs hyperfine (apt-get install hyperfine). It starts the packaged server on the memory store on
# 127.0.0.1, registers NODES nodes (default 5, so the table has rows), then times both commands
# with the same java that the launcher picks. The machine is shared: read the ratio, not the times.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-30}
NODES=${NODES:-5}
server_jar="$root/cara-server-helidon/target/cara-server.jar"
launcher="$root/caractrl/target/caractrl"

command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
java=$("$root/bin/cara-java")
if [ ! -f "$server_jar" ] || [ ! -x "$launcher" ]; then
  (cd "$root" && ./mvnw -q -DskipTests package -pl cara-server-helidon,caractrl -am)
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$java" -jar "$server_jar" --host 127.0.0.1 --port 0 --store memory: >"$work/server.out" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 240); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/server.out" | head -n1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server did not start:" >&2; cat "$work/server.out" >&2; exit 1; }
  sleep 0.25
done
[ -n "$url" ] || { echo "the server did not print its URL" >&2; exit 1; }
url=${url/localhost/127.0.0.1}

for i in $(seq 1 "$NODES"); do
  curl -sf -o /dev/null -H 'Content-Type: application/json' "$url/api/v1/nodes" \
    -d "{\"apiVersion\":\"caravanserai/v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"bench-$i\"},\"spec\":{\"hostname\":\"bench-$i.lan\"}}"
done
"$launcher" get nodes --server "$url" >/dev/null   # fails loudly here rather than inside hyperfine

hyperfine -N -w 3 -r "$RUNS" --export-json "$work/times.json" \
  "$java -version" "$launcher get nodes --server $url" >"$work/hyperfine.out" 2>&1 || { cat "$work/hyperfine.out" >&2; exit 1; }
grep -E "Benchmark|Time" "$work/hyperfine.out"
python3 - "$work/times.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base, cli = r[0], r[1]
print(f"java -version {base['mean']*1000:.1f} ms (median {base['median']*1000:.1f}), "
      f"caractrl get nodes {cli['mean']*1000:.1f} ms (median {cli['median']*1000:.1f}); "
      f"ratio of means {cli['mean']/base['mean']:.2f}, of medians {cli['median']/base['median']:.2f} (goal <= 2.5)")
PY
