#!/usr/bin/env bash
# Runs every test of the project: installs what the tests need (cached after the first run),
# then builds and tests all modules against the local control plane and real Git servers.
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/install-test-deps.sh
source hack/java-env.sh
exec ./mvnw -B --no-transfer-progress install "$@"
