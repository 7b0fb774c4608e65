#!/usr/bin/env bash
# A `helm` for `kubectl kustomize --enable-helm --helm-command hack/helm-shim.sh`: the CLI's helm-java inflator
# behind helm's command line (version, template, pull). Used to produce the kustomize corpus' helm cases
# where no helm binary exists. Needs `./mvnw install -pl kustomize,cli -am -DskipTests` and `test-compile -pl cli`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/hack/java-env.sh" >/dev/null
cp="$root/cli/target/classes:$root/cli/target/test-classes"
for jar in "$root"/cli/target/lib/*.jar; do cp="$cp:$jar"; done
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp "$cp" io.currents.cli.helm.HelmShim "$@"
