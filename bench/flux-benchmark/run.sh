#!/usr/bin/env bash
# Flux's published benchmark shape (fluxcd/flux-benchmark): N Kustomizations, each with its own OCIRepository pulling a
# Flux OCI artifact (ServiceAccount, Service, zero-replica Deployment, Ingress; postBuild substitution, wait, prune,
# impersonation), then M HelmReleases of an OCI chart from one HelmRepository of type oci (a HelmChart each), on a real
# registry on loopback, with source-, kustomize- and helm-controller running as their packaged applications (Flux's
# benchmark limits: 1Gi, 1/2/2 CPUs, concurrency 10/20/10) against the local control plane. Prints per kind the time
# until all are Ready and the controller's peak RSS, beside Flux v2.9.0's published figures and the ratio.
# Usage: bench/flux-benchmark/run.sh [kustomizations] [helmreleases]   (default 1000 1000; figures only, nothing
#        fails for being slow). BENCH_CONCURRENT=source,kustomize,helm (default 10,20,10), BENCH_TIMEOUT_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
kustomizations="${1:-1000}"; releases="${2:-1000}"
out="bench/out/flux-benchmark"
rm -rf "$out/work"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} install -DskipTests \
  -pl cli,source-controller,kustomize-controller,helm-controller -am
# the CLI's ControllerProcess (how `dev up` starts a controller), the testkit (control plane, registry), the OCI client
./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} -pl cli dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
cp="cli/target/classes:testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/fluxbenchmark/FluxBenchmarkBench.java
java -cp "$out/classes:$cp" io.currents.bench.fluxbenchmark.FluxBenchmarkBench "$kustomizations" "$releases" "$out"
