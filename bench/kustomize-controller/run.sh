#!/usr/bin/env bash
# kustomize-controller benchmark: N Kustomizations (default 1,000), each a small app (ServiceAccount,
# ConfigMap, Service, zero-replica Deployment) from one source artifact, reconciled by the controller
# running as its own process (the packaged quarkus-app) against the local control plane; prints the time
# until all are Ready, the controller's peak RSS (VmHWM), and `kubectl apply --server-side` of the same
# objects on the same API server as the reference.
# The controller runs with kustomize-controller/jvm.options (the options a Deployment uses) plus BENCH_JAVA_OPTS.
# Usage: bench/kustomize-controller/run.sh [count] [concurrent]   (figures are printed; nothing fails for being slow)
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
count="${1:-1000}"
concurrent="${2:-4}"
out="bench/out/kustomize-controller"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress install -DskipTests -pl kustomize-controller -am
./mvnw -B -q --no-transfer-progress -pl testkit dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
# The bench main needs only the testkit; compile it alone so the run does not depend on the other benches.
cp="testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/ApiServerRequests.java \
  bench/src/main/java/io/currents/bench/kustomizecontroller/KustomizeControllerBench.java
java -cp "$out/classes:$cp" io.currents.bench.kustomizecontroller.KustomizeControllerBench \
  kustomize-controller/target/quarkus-app "$count" "$concurrent" "$out"
