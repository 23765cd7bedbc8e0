#!/usr/bin/env bash
# Build step: trains target/caractrl.jsa, the class-data-sharing archive the launcher uses. It starts
# a canned HTTP server (CdsTraining, in the test classes) and runs the real launcher against it once;
# the JVM writes the archive when that run exits. Usage: train-cds.sh TARGET_DIR
set -euo pipefail
target=$1
here=$(cd -- "$(dirname -- "$0")" && pwd)
if [ ! -f "$target/test-classes/dev/cara/ctl/CdsTraining.class" ]; then
  echo "caractrl: tests were skipped, so the class-data archive is not trained now; the first run creates it."
  exit 0
fi
java=$("$here/../../../../bin/cara-java")
exec "$java" -cp "$target/test-classes:$target/caractrl.jar:$target/libs/*" dev.cara.ctl.CdsTraining "$target/caractrl"
