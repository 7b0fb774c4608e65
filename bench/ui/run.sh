#!/usr/bin/env bash
# UI page loads at the issue's size: 1,000 Kustomizations with 10 ConfigMaps each in their inventories (10,000
# ConfigMaps), written with the status kustomize-controller would give them on the local control plane, then the
# UI's packaged application started as `currents dev up` starts it. Prints p50/p95 of the overview, a filtered
# overview and a Kustomization's detail page (HTTP, logged in with a session), each against a raw API LIST of the
# same objects measured in the same run, and the issue's target (p95 < 1 s). Nothing fails for being slow.
# Usage: bench/ui/run.sh [kustomizations] [configmaps-per-kustomization] [rounds]   (default 1000 10 50;
#        the smoke test runs 5 2 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
kustomizations="${1:-1000}"; per="${2:-10}"; rounds="${3:-50}"
out="bench/out/ui"
rm -rf "$out/work"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} install -DskipTests -pl cli,ui -am
# the CLI's ControllerProcess (how `dev up` starts the UI) and the testkit (control plane, fixtures)
./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} -pl cli dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
cp="cli/target/classes:testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/ui/UiPageLoadBench.java
java -cp "$out/classes:$cp" io.currents.bench.ui.UiPageLoadBench "$kustomizations" "$per" "$rounds" "$out"
