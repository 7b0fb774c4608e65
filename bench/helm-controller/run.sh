#!/usr/bin/env bash
# helm-controller benchmark: N HelmReleases (default 100) of one small chart (ConfigMap + Secret), each its own Helm
# release, reconciled by the controller running as its own process (the packaged quarkus-app, with
# helm-controller/jvm.options and the environment of helm-controller/container.env, as its Deployment runs it) against
# the local control plane; prints the time until all are Ready and the
# controller's peak RSS (VmHWM), and as the reference the same N installs made directly with helm-java (Helm v3,
# the engine the controller uses) from the benchmark's JVM, on the same API server, in the same run.
# Usage: bench/helm-controller/run.sh [count] [concurrent]   (figures are printed; nothing fails for being slow)
# BENCH_JAVA_OPTS adds JVM options, BENCH_CONTROLLER_ENV="NAME=value ..." environment variables (e.g. GOMEMLIMIT,
# GODEBUG=gctrace=1, whose lines go to bench/out/helm-controller/helm-controller.log), to the controller only.
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
count="${1:-100}"
concurrent="${2:-4}"
out="bench/out/helm-controller"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} install -DskipTests -pl helm-controller,cli -am
# the CLI's classes and classpath: helm-java, and ControllerProcess (how `dev up` reads a module's container.env)
./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} -pl cli dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
cp="cli/target/classes:testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/ApiServerRequests.java \
  bench/src/main/java/io/currents/bench/helmcontroller/HelmControllerBench.java
java -cp "$out/classes:$cp" io.currents.bench.helmcontroller.HelmControllerBench \
  helm-controller/target/quarkus-app "$count" "$concurrent" "$out"
