#!/usr/bin/env bash
# Runs every benchmark under bench/ at a tiny size, so a change that breaks a script (a moved class,
# a missing jar on its classpath, a renamed option) shows up without the minutes a real run takes.
# Checks that each script finishes; the figures it prints mean nothing at this size.
# Usage: hack/bench-smoke.sh [bench-name...]   (default: every bench/<name>/run.sh)
set -uo pipefail
cd "$(dirname "$0")/.."

# a benchmark's tiny size: the environment and the arguments its run.sh takes
tiny_env() {
  case "$1" in
    kustomize) echo "BENCH_RUNS=1 BENCH_MONO_APPS=2 BENCH_WARM_BUILDS=1" ;;
    kustomize-controller) echo "BENCH_IDLE_SETTLE_SECONDS=1 BENCH_IDLE_WINDOW_SECONDS=3 BENCH_SECRETS=50 BENCH_SECRETS_SETTLE_SECONDS=2 BENCH_HOL_COUNT=20 BENCH_HOL_TIMEOUT_SECONDS=5" ;;
    source) echo "BENCH_SOURCE_FILES=50 BENCH_SOURCE_BYTES=100000 BENCH_SOURCE_COMMITS=5 BENCH_OCI_MB=2" ;;
    plan) echo "BENCH_RUNS=1" ;;
  esac
}
tiny_args() {
  case "$1" in
    source) echo "1" ;;
    kustomize-controller) echo "5 2" ;;
    helm-controller) echo "3 2" ;;
    flux-benchmark) echo "3 3" ;;
    notification-controller) echo "tiny" ;;
    plan) echo "5" ;;
    idle) echo "2 2 1 1 5" ;;
    ui) echo "5 2 3" ;;
  esac
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for script in bench/*/run.sh; do names+=("$(basename "$(dirname "$script")")"); done
fi

mkdir -p bench/out
failed=()
for name in "${names[@]}"; do
  script="bench/$name/run.sh"
  if [ ! -x "$script" ]; then
    echo "bench-smoke: $script is missing or not executable" >&2
    failed+=("$name")
    continue
  fi
  if [ -z "$(tiny_env "$name")$(tiny_args "$name")" ]; then
    echo "bench-smoke: no tiny size for $script: add one to hack/bench-smoke.sh" >&2
    failed+=("$name")
    continue
  fi
  log="bench/out/smoke-$name.log"
  echo "== $script $(tiny_args "$name") ($(tiny_env "$name"))"
  start=$(date +%s)
  # shellcheck disable=SC2046
  if env $(tiny_env "$name") "$script" $(tiny_args "$name") >"$log" 2>&1; then
    echo "   ran in $(( $(date +%s) - start )) s; the end of $log:"
    tail -n 5 "$log" | sed 's/^/   | /'
  else
    echo "   FAILED after $(( $(date +%s) - start )) s; the end of $log:"
    tail -n 25 "$log" | sed 's/^/   | /'
    failed+=("$name")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "bench-smoke: failed: ${failed[*]}" >&2
  exit 1
fi
echo "bench-smoke: every benchmark ran"
