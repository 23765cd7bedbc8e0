#!/usr/bin/env bash
# Build step: trains the launcher's start-up cache (target/caractrl.aot on JDK 25+, else the
# class-data-sharing archive target/caractrl.jsa). It starts a canned HTTP server (CdsTraining, in the
# test classes) and runs the real launcher against it once; the JVM writes the cache as that run exits.
# Usage: train-cds.sh TARGET_DIR
set -euo pipefail
target=$1
here=$(cd -- "$(dirname -- "$0")" && pwd)
if [ ! -f "$target/test-classes/dev/cara/ctl/CdsTraining.class" ]; then
  echo "caractrl: tests were skipped, so the start-up cache is not trained now; the launcher writes a class-data archive on its first run instead."
  exit 0
fi
java=$("$here/../../../../bin/cara-java")
export CARACTRL_TRAIN=1   # the launcher records its ahead-of-time cache on JDK 25+ (see there)
exec "$java" -cp "$target/test-classes:$target/caractrl.jar" dev.cara.ctl.CdsTraining "$target/caractrl"
