#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need (cached after the first run),
# then builds and tests all modules against the local control plane and real Git servers, then runs
# every benchmark script at a tiny size.
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/install-test-deps.sh
source hack/java-env.sh
# every test tool was just installed: a test that would skip for a missing one fails instead (testkit TestTools)
export CURRENTS_REQUIRE_TEST_TOOLS=true
./mvnw -B --no-transfer-progress install "$@"
# Every benchmark script must keep running: the whole run (no arguments) ends with each at a tiny size,
# on the modules the build above just installed.
if [ $# -eq 0 ]; then
  BENCH_NO_BUILD=1 ./hack/bench-smoke.sh
fi
