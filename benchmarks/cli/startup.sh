#!/usr/bin/env bash
# Start-up benchmark of caractrl: `caractrl get nodes` against `java -version` (the floor any JVM
# program pays), measured in the same run, and the ratio (goal, issue 13: 2.0 or lower with 50 nodes).
#
#   benchmarks/cli/startup.sh                  # 40 interleaved rounds after 3 warm-ups
#   RUNS=30 NODES=50 benchmarks/cli/startup.sh # the issue's setting
#   BASELINE=/elsewhere/caractrl/target/caractrl benchmarks/cli/startup.sh
#                                              # also times another build's launcher (a before/after
#                                              # comparison in the same rounds)
#
# It starts the packaged server on the memory store on 127.0.0.1, registers NODES nodes (default 5,
# so the table has rows), warms the server up, then times both commands, with the same java that the
# launcher picks, in interleaved rounds (interleave.py: each round runs both, in random order). The
# machine is shared and its speed drifts: read the ratio, not the times.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${RUNS:-40}
NODES=${NODES:-5}
launcher="$root/caractrl/target/caractrl"

command -v python3 >/dev/null || { echo "python3 is needed to time the runs" >&2; exit 1; }
. "$root/benchmarks/lib/cara.sh"   # builds the server if it is missing; sets java
[ -x "$launcher" ] || (cd "$root" && ./mvnw -q -DskipTests package -pl caractrl -am)
CARA_FLAGS="--auth none"
work=$(mktemp -d)
trap 'stop_cara; rm -rf "$work"' EXIT

start_cara memory: || { echo "the server did not print its URL" >&2; exit 1; }
url=${url/localhost/127.0.0.1}
register_nodes "$url" "$NODES"
"$launcher" get nodes --server "$url" >/dev/null   # fails loudly here rather than inside the timing

# A server in use has long been warmed up by its JIT; a fresh one answers its first few hundred
# requests from the interpreter, and that time would be charged to the client. 2,000 requests first
# (200 per curl, over one connection), then curl's time for the request (a new connection each),
# for reference: what of the client's time is the server's at most.
urls=()
for _ in $(seq 1 200); do urls+=("$url/api/v1/nodes"); done
for _ in $(seq 1 10); do curl -sf "${urls[@]}" >/dev/null; done
curl_ms=$(for _ in $(seq 1 21); do curl -sf -o /dev/null -w '%{time_total}\n' "$url/api/v1/nodes"; done |
  sort -n | sed -n 11p | awk '{printf "%.1f", $1 * 1000}')
echo "curl: GET /api/v1/nodes in $curl_ms ms (median of 21, connection included)"

# The server by address, and by the name "localhost" (the default server's host), which adds the
# JDK's name lookup: its DNS cache policy, read from java.security, and the system's resolver. The
# launcher itself checks that the name reaches the server (curl tries every address it resolves to).
by_name=${url/127.0.0.1/localhost}
commands=("java -version=$(printf '%q' "$java") -version"
  "get nodes (127.0.0.1)=$(printf '%q' "$launcher") get nodes --server $url")
if "$launcher" get nodes --server "$by_name" >/dev/null 2>&1; then
  commands+=("get nodes (localhost)=$(printf '%q' "$launcher") get nodes --server $by_name")
else
  echo "the JVM does not reach the server by the name localhost here: timing the address only"
fi
if [ -n "${BASELINE:-}" ]; then
  [ -x "$BASELINE" ] || { echo "BASELINE=$BASELINE is not an executable launcher" >&2; exit 1; }
  "$BASELINE" get nodes --server "$url" >/dev/null
  commands+=("baseline get nodes (127.0.0.1)=$(printf '%q' "$BASELINE") get nodes --server $url")
fi
echo "java: $java"
python3 "$root/benchmarks/cli/interleave.py" "$RUNS" 3 "${commands[@]}"
