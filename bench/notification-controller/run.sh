#!/usr/bin/env bash
# notification-controller benchmark: a flood of events (default 10,000 at 10,000/min, a tenth of them duplicates) then a
# burst of as many unique events as fast as 16 senders go, through the controller running as its own process (the
# packaged quarkus-app with notification-controller/jvm.options) to A Alerts (default 2) whose generic webhooks POST to a
# loopback sink; prints accepted / rate-limited (429) / queue-full (503) answers, delivered notifications per minute,
# event-to-delivery latency, the controller's RSS sampled throughout, and, as the reference in the same run, the same
# number of POSTs made straight to the sink. The JVM sees the Deployment's memory limit (-XX:MaxRAM=512m; BENCH_MEMORY_LIMIT
# changes it), so the heap is sized as in a pod.
# Usage: bench/notification-controller/run.sh [events] [per-minute] [alerts]
#        bench/notification-controller/run.sh tiny      (300 events at 6,000/min, 1 Alert: the smoke test's size)
# Figures are printed; nothing fails for being slow.
set -euo pipefail
cd "$(dirname "$0")/../.."
source hack/java-env.sh
if [ "${1:-}" = "tiny" ]; then
  events=300; per_minute=6000; alerts=1
else
  events="${1:-10000}"; per_minute="${2:-10000}"; alerts="${3:-2}"
fi
out="bench/out/notification-controller"
mkdir -p "$out/classes"
# BENCH_NO_BUILD=1: the modules were just built and installed (hack/test.sh runs the smoke after the build)
[ -n "${BENCH_NO_BUILD:-}" ] || ./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} install -DskipTests -pl notification-controller -am
./mvnw -B -q --no-transfer-progress ${MAVEN_ARGS:-} -pl testkit dependency:build-classpath -Dmdep.outputFile="$PWD/$out/classpath.txt" >/dev/null
# The bench main needs only the testkit; compile it alone so the run does not depend on the other benches.
cp="testkit/target/classes:$(cat "$out/classpath.txt")"
javac -d "$out/classes" -cp "$cp" bench/src/main/java/io/currents/bench/notificationcontroller/NotificationControllerBench.java
java -cp "$out/classes:$cp" io.currents.bench.notificationcontroller.NotificationControllerBench \
  notification-controller/target/quarkus-app "$events" "$per_minute" "$alerts" "$out"
