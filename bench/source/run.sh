#!/usr/bin/env bash
# Source benchmark (Git): generates a repository of about 5,000 files / 50 MB / 500 commits, serves it
# over smart HTTP on loopback and measures, in one run, Currents' fetch + artifact against
# `git clone --depth 1` + `tar czf` of the same tree, and the cost of a no-change reconcile.
# Then the OCI benchmark: a ~50 MB Flux artifact in a loopback docker-registry, pulled by the OCIRepository path
# against curl of the manifest and blob + sha256sum + tar (what `oras pull` does), and a no-change reconcile.
# Usage: bench/source/run.sh [rounds]   (figures are printed; nothing fails for being slow)
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
rounds="${1:-5}"
out="bench/out/source"
mkdir -p "$out"
if [ ! -d "$out/repos/bench.git" ]; then
  echo "generating the benchmark repository (5,000 files, ~50 MB, 500 commits)"
  git init -q --bare "$out/repos/bench.git"
  python3 bench/source/generate-repo.py 5000 50000000 500 | git -C "$out/repos/bench.git" fast-import --done --quiet
  git -C "$out/repos/bench.git" symbolic-ref HEAD refs/heads/main
  git -C "$out/repos/bench.git" gc -q
fi
./mvnw -B -q --no-transfer-progress install -DskipTests -pl bench -am
./mvnw -B -q --no-transfer-progress -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
java -cp "bench/target/classes:$(cat "$out/classpath.txt")" io.currents.bench.SourceBench "$out/repos" "$rounds"
java -cp "bench/target/classes:$(cat "$out/classpath.txt")" io.currents.bench.OciBench "$rounds"
