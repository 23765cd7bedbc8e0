#!/bin/sh
# Heartbeats one cara replica ingests per second on PostgreSQL vs pgbench -N tps, same server, same run.
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth for the user) and pgbench on PATH.
# Extra arguments go to the benchmark: --nodes 20000 --seconds 15 --threads 2 --pgbench-clients 8 ...
set -e
cd "$(dirname "$0")/.."
./mvnw -q -Pbench -DskipTests package -pl benchmarks -am
exec "$(bin/cara-java)" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    dev.cara.bench.JdbcIngestBenchmark "$@"
