#!/bin/sh
# 10,000 nodes on PostgreSQL stop heartbeating at once: time until all are NotReady and the delay of
# watch events meanwhile, with the store's status batch written one by one and in one transaction.
# Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres).
# Extra arguments go to the benchmark: --nodes 10000 --timeout 30s --part both|store|control-plane
set -e
cd "$(dirname "$0")/.."
./mvnw -q -Pbench -DskipTests package -pl benchmarks -am
exec "$(bin/cara-java)" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    dev.cara.bench.JdbcExpiryBenchmark "$@"
