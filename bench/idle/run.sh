#!/usr/bin/env bash
# Idle footprint: source-, kustomize-, helm- and notification-controller, each the packaged quarkus-app started as
# `currents dev up` starts it (its module's jvm.options, the options its Deployment and image use, and the
# Deployment's environment) with its pod's limits from manifests/bases (-XX:MaxRAM = memory limit,
# -XX:ActiveProcessorCount = CPU limit), against the local control plane, with a small fleet reconciled for real
# (GitRepositories on a loopback Git server, Kustomizations, HelmReleases with charts from those sources, Alerts to a
# loopback webhook). Once all is Ready it waits the settle time and prints each controller's RSS against the
# 100 MiB target as a ratio (and RSS once ready before the fleet, peak RSS, thread count).
# BENCH_JAVA_OPTS adds JVM options to every controller ({controller} in them stands for its name, e.g. an archive of
# its own, -XX:SharedArchiveFile=/tmp/{controller}.jsa; with -XX:NativeMemoryTracking=summary native memory, threads
# and a class histogram are written to bench/out/idle/).
# Usage: bench/idle/run.sh [sources] [kustomizations] [helmreleases] [alerts] [settle-seconds]
#        (default 10 10 5 5 120; the smoke test runs 2 2 1 1 5). Figures are printed; nothing fails for being big.
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
sources="${1:-10}"; kustomizations="${2:-10}"; releases="${3:-5}"; alerts="${4:-5}"; settle="${5:-120}"
out="bench/out/idle"
rm -rf "$out/work"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} install -DskipTests \
  -pl cli,source-controller,kustomize-controller,helm-controller,notification-controller -am
# the CLI's ControllerProcess (how `dev up` starts a controller) and the testkit (control plane, Git server)
./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} -pl cli dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
cp="cli/target/classes:testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/idle/IdleFootprintBench.java
java -cp "$out/classes:$cp" io.currents.bench.idle.IdleFootprintBench \
  "$sources" "$kustomizations" "$releases" "$alerts" "$settle" "$out"
