#!/usr/bin/env bash
# The main job on a machine without a cluster: starts the local control plane and a Git server,
# runs the source-controller as its own process (as in a cluster), turns examples/ into a Git
# repository, applies a GitRepository for it and shows the artifact the controller produced —
# downloaded over HTTP and checked against its digest. `--keep` leaves everything running.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

./hack/install-test-deps.sh
source hack/java-env.sh
state="$PWD/.currents/dev"
rm -rf "$state" && mkdir -p "$state"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
if ! $keep; then trap cleanup EXIT; fi

echo "==> building (first run downloads dependencies)"
./mvnw -B -q --no-transfer-progress install -DskipTests -pl testkit,source-controller -am
./mvnw -B -q --no-transfer-progress -pl testkit dependency:build-classpath -Dmdep.outputFile="$state/testkit.classpath" >/dev/null

echo "==> starting the local control plane and Git server"
java -cp "testkit/target/classes:$(cat "$state/testkit.classpath")" io.currents.testkit.DevEnvironment "$state" \
  >"$state/environment.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do [ -f "$state/ready" ] && break; sleep 1; done
[ -f "$state/ready" ] || { echo "environment did not start; see $state/environment.log" >&2; exit 1; }
export KUBECONFIG="$state/kubeconfig"
git_url=$(cat "$state/git-url")

echo "==> turning examples/ into a Git repository served at $git_url/examples.git"
work="$state/work"
git init -q -b main "$work"
cp -r examples/. "$work/"
git -C "$work" add -A
git -C "$work" -c user.name=Currents -c user.email=demo@currents.invalid commit -q -m "Add the hello app"
git clone -q --bare "$work" "$state/git/examples.git"
git -C "$state/git/examples.git" config http.receivepack true
git -C "$work" remote add origin "$git_url/examples.git"

echo "==> starting source-controller (artifacts on :9090)"
kubectl create namespace currents-system >/dev/null
STORAGE_PATH="$state/storage" STORAGE_ADV_ADDR="localhost:9090" RUNTIME_NAMESPACE=currents-system \
  java -jar source-controller/target/quarkus-app/quarkus-run.jar >"$state/source-controller.log" 2>&1 &
pids+=($!)

kubectl apply -f - <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: examples
  namespace: currents-system
spec:
  interval: 1m
  url: $git_url/examples.git
  ref:
    branch: main
  ignore: |
    # only the apps are of interest
    /*
    !/apps/
YAML

echo "==> waiting for the GitRepository to become Ready"
if ! kubectl -n currents-system wait gitrepository/examples --for=condition=Ready --timeout=180s; then
  kubectl -n currents-system get gitrepository examples -o yaml
  tail -50 "$state/source-controller.log"
  exit 1
fi
kubectl -n currents-system get gitrepository examples \
  -o custom-columns='NAME:.metadata.name,READY:.status.conditions[?(@.type=="Ready")].status,REVISION:.status.artifact.revision,MESSAGE:.status.conditions[?(@.type=="Ready")].message'

url=$(kubectl -n currents-system get gitrepository examples -o jsonpath='{.status.artifact.url}')
digest=$(kubectl -n currents-system get gitrepository examples -o jsonpath='{.status.artifact.digest}')
echo "==> artifact $url"
curl -fsS -o "$state/artifact.tar.gz" "$url"
actual="sha256:$(sha256sum "$state/artifact.tar.gz" | cut -d' ' -f1)"
echo "    digest in status: $digest"
echo "    digest of download: $actual"
[ "$actual" = "$digest" ] || { echo "digest mismatch" >&2; exit 1; }
echo "==> artifact contents"
tar tzvf "$state/artifact.tar.gz"
echo "==> events"
kubectl -n currents-system get events --field-selector involvedObject.name=examples -o custom-columns='TYPE:.type,REASON:.reason,MESSAGE:.message'

if $keep; then
  cat <<TXT

Everything keeps running. Try:
  export KUBECONFIG=$state/kubeconfig
  cd $work && echo '# change' >> apps/hello/base/service.yaml && git commit -qam change && git push -q origin main
  kubectl -n currents-system annotate gitrepository examples reconcile.fluxcd.io/requestedAt="\$(date +%s)" --overwrite
  kubectl -n currents-system get gitrepository examples -w
Stop with: kill ${pids[*]}
TXT
fi
