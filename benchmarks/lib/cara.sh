# Shared by the load scripts under benchmarks/: start the packaged cara server as its own process on
# 127.0.0.1 and register nodes. Source it after setting root (the repository) and work (a temp dir).
#
#   start_cara STORE [JVM_OPTION...]   sets server_pid and url; returns 1 if the server did not start
#                                      (the server_args array, if set, adds server options: --auth none)
#   stop_cara                          stops it (SIGTERM, then waits)
#   register_nodes URL N [PREFIX]      registers PREFIX-0 .. PREFIX-(N-1) over one kept-alive connection
#   cpu_ticks PID                      the process's CPU time so far in USER_HZ ticks (100 a second)

java=$("$root/bin/cara-java")
jcmd="$(dirname "$java")/jcmd"
jar=${JAR:-"$root/cara-server-helidon/target/cara-server.jar"}   # JAR= runs another build (with its libs/)
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -DskipTests package -pl cara-server-helidon -am)
server_pid=""
url=""

start_cara() {
  local store=$1; shift
  local out="$work/server.out"
  : >"$out"   # before the server's shell gets to it, so that the first look finds a file
  (cd "$work" && exec "$java" --enable-native-access=ALL-UNNAMED "$@" -jar "$jar" --host 127.0.0.1 --port 0 \
      --store "$store" --heartbeat-timeout 90s ${server_args[@]+"${server_args[@]}"} >"$out" 2>&1) &
  server_pid=$!
  url=""
  for _ in $(seq 1 240); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$out" | head -n1)
    [ -n "$url" ] && return 0
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "server on $store did not start:" >&2; cat "$out" >&2; break; fi
    sleep 0.25
  done
  server_pid=""
  return 1
}

stop_cara() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}

register_nodes() {
  local base=$1 n=$2 prefix=${3:-bench}
  for i in $(seq 0 $((n - 1))); do
    [ "$i" -eq 0 ] || echo next
    printf 'url = "%s/api/v1/nodes"\nrequest = "POST"\nheader = "Content-Type: application/json"\noutput = "/dev/null"\n' "$base"
    printf 'data = "{\\"apiVersion\\":\\"caravanserai/v1\\",\\"kind\\":\\"Node\\",\\"metadata\\":{\\"name\\":\\"%s-%d\\"},\\"spec\\":{\\"hostname\\":\\"%s-%d.lan\\"}}"\n' "$prefix" "$i" "$prefix" "$i"
  done >"$work/register.curl"
  curl -s -K "$work/register.curl"
  local registered
  registered=$(curl -s "$base/api/v1/nodes" | grep -o "\"name\":\"$prefix-" | wc -l)
  [ "$registered" -eq "$n" ] || echo "warning: $registered of $n nodes registered" >&2
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# wrk --latency prints "Requests/sec:  12345.67", "N requests in 5.00s" and a "99%  1.23ms" line.
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
requests() { awk '/requests in/ {print $1}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
# wrk counts answers other than 2xx and 3xx itself ("Non-2xx or 3xx responses: N"); a script with a
# response() callback would make wrk parse every answer for Lua, a cost the baseline does not pay.
non_2xx() { awk '/Non-2xx or 3xx responses:/ {n = $5} END {print n + 0}' "$1"; }
