#!/usr/bin/env bash
# Source benchmark (Git): generates a repository of about 5,000 files / 50 MB / 500 commits, serves it
# over smart HTTP on loopback and measures, in one run, Currents' fetch + artifact against
# `git clone --depth 1` + `tar czf` of the same tree, and the cost of a no-change reconcile.
# Then the OCI benchmark: a ~50 MB Flux artifact in a loopback docker-registry, pulled by the OCIRepository path
# against curl of the manifest and blob + sha256sum + tar (what `oras pull` does), and a no-change reconcile.
# Usage: bench/source/run.sh [rounds]   (figures are printed; nothing fails for being slow)
# BENCH_SOURCE_FILES, BENCH_SOURCE_BYTES and BENCH_SOURCE_COMMITS size the repository (hack/bench-smoke.sh
# makes it tiny to check the script still runs; figures are only meaningful at the default size); BENCH_OCI_MB sizes
# the OCI artifact (default 50).
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
rounds="${1:-5}"
files="${BENCH_SOURCE_FILES:-5000}"
bytes="${BENCH_SOURCE_BYTES:-50000000}"
commits="${BENCH_SOURCE_COMMITS:-500}"
out="bench/out/source"
# another size gets its own repository, so a smoke run never replaces the full-size one
repos="$out/repos"
[ "$files-$bytes-$commits" = 5000-50000000-500 ] || repos="$out/repos-$files-$bytes-$commits"
mkdir -p "$out"
if [ ! -d "$repos/bench.git" ]; then
  echo "generating the benchmark repository ($files files, $bytes bytes, $commits commits)"
  git init -q --bare "$repos/bench.git"
  python3 bench/source/generate-repo.py "$files" "$bytes" "$commits" | git -C "$repos/bench.git" fast-import --done --quiet
  git -C "$repos/bench.git" symbolic-ref HEAD refs/heads/main
  git -C "$repos/bench.git" gc -q
fi
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress install -DskipTests -pl bench -am
./mvnw -B -q --no-transfer-progress -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
java -cp "bench/target/classes:$(cat "$out/classpath.txt")" io.currents.bench.SourceBench "$repos" "$rounds"
java -cp "bench/target/classes:$(cat "$out/classpath.txt")" io.currents.bench.OciBench "$rounds" "${BENCH_OCI_MB:-50}"
