#!/bin/sh
# Spec-write latency while the JDBC store compacts 100,000 change rows, against the same writes with
# no compaction, same database, same run. Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres)
# or MariaDB on 127.0.0.1:3306 (root, no password).
# Extra arguments go to the benchmark: --db postgresql|mariadb --changes 100000 --keep 1000 --writers 2
set -e
cd "$(dirname "$0")/.."
./mvnw -q -Pbench -DskipTests package -pl benchmarks -am
exec "$(bin/cara-java)" --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    dev.cara.bench.JdbcCompactionBenchmark "$@"
