#!/usr/bin/env bash
# Benchmarks `currents plan` on a generated fleet repository: a bootstrap path whose Kustomization list holds
# N Kustomizations (default 200), each an application of 4 objects at its own path; the head commit changes the image
# of every tenth application, post-build values of another tenth and removes one application (a prune).
# Prints the plan's cold time (first run of bin/currents, which also writes its class-data archive) and warm time
# (median of BENCH_RUNS further runs; the target is < 10 s for 200 Kustomizations), and as the reference measured in
# the same run: `kubectl kustomize` of every Kustomization path at both revisions (what a script doing the same
# renders would spend in kustomize alone), with the ratio.
# A benchmark, not a test: it never fails because something is slow.
# Usage: bench/plan/run.sh [kustomizations]   (BENCH_RUNS, default 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/hack/java-env.sh"
command -v python3 >/dev/null || { echo "python3 is needed to generate the repository" >&2; exit 1; }
count="${1:-200}"
runs="${BENCH_RUNS:-3}"
work="${BENCH_DIR:-$(mktemp -d)}"
repo="$work/fleet"

python3 - "$repo" "$count" <<'PY'
import os, sys
repo, count = sys.argv[1], int(sys.argv[2])
def w(path, text):
    p = os.path.join(repo, path); os.makedirs(os.path.dirname(p), exist_ok=True); open(p, "w").write(text)
w("clusters/prod/flux-system/gotk-sync.yaml", """apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://git.example/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
""")
docs = []
for i in range(count):
    docs.append(f"""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: app-{i}, namespace: flux-system}}
spec:
  interval: 10m
  path: ./apps/app-{i}
  prune: true
  targetNamespace: app-{i}
  sourceRef: {{kind: GitRepository, name: flux-system}}
  postBuild:
    substitute: {{replicas: "2"}}
""")
    w(f"apps/app-{i}/kustomization.yaml", "resources: [namespace.yaml, deployment.yaml, service.yaml, config.yaml]\n")
    w(f"apps/app-{i}/namespace.yaml", f"apiVersion: v1\nkind: Namespace\nmetadata: {{name: app-{i}}}\n")
    w(f"apps/app-{i}/deployment.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}}}
spec:
  replicas: ${{replicas}}
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
      - name: app
        image: registry.example/app-{i}:1.0.0
        ports: [{{containerPort: 8080, name: http}}]
""")
    w(f"apps/app-{i}/service.yaml", f"apiVersion: v1\nkind: Service\nmetadata: {{name: app-{i}}}\nspec: {{selector: {{app: app-{i}}}, ports: [{{port: 80, targetPort: http}}]}}\n")
    w(f"apps/app-{i}/config.yaml", f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app-{i}}}\ndata: {{LOG_LEVEL: info}}\n")
w("clusters/prod/apps.yaml", "---\n".join(docs))
w("clusters/prod/kustomization.yaml", "resources: [flux-system/gotk-sync.yaml, apps.yaml]\n")
PY
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=bench -c user.email=bench@example.com add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm base
python3 - "$repo" "$count" <<'PY'
import os, re, shutil, sys
repo, count = sys.argv[1], int(sys.argv[2])
for i in range(0, count, 10):
    p = os.path.join(repo, f"apps/app-{i}/deployment.yaml")
    text = open(p).read()
    open(p, "w").write(text.replace(":1.0.0", ":1.1.0"))
apps = os.path.join(repo, "clusters/prod/apps.yaml")
text = open(apps).read()
docs = text.split("---\n")
for i in range(5, count, 10):
    docs[i] = docs[i].replace('replicas: "2"', 'replicas: "3"')
open(apps, "w").write("---\n".join(docs))
if count > 1:
    p = os.path.join(repo, f"apps/app-{count - 1}/kustomization.yaml")
    open(p, "w").write("resources: [namespace.yaml, deployment.yaml, service.yaml]\n")
PY
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qam head

plan=("$root/bin/currents" plan --repo "$repo" --base HEAD~1 --head HEAD --path clusters/prod -o json)
seconds() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$2"; }
s=$(date +%s.%N); "${plan[@]}" >"$work/plan.json" || [ $? -eq 1 ]; e=$(date +%s.%N)
cold=$(seconds "$s" "$e")
warm_all=()
cpu_all=()
for _ in $(seq "$runs"); do
  s=$(date +%s.%N)
  # user+system CPU seconds of the run too: on a shared, loaded machine the wall time mostly measures waiting
  cpu=$( { TIMEFORMAT='%U %S'; time { "${plan[@]}" >/dev/null || [ $? -eq 1 ]; }; } 2>&1 | tail -1 | awk '{printf "%.2f", $1 + $2}')
  e=$(date +%s.%N)
  warm_all+=("$(seconds "$s" "$e")")
  cpu_all+=("$cpu")
done
warm=$(printf '%s\n' "${warm_all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
cpu=$(printf '%s\n' "${cpu_all[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
summary=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(' '.join(f'{k}={v}' for k,v in s.items()))" "$work/plan.json")

reference="n/a"; ratio="n/a"
if command -v kubectl >/dev/null; then
  s=$(date +%s.%N)
  for rev in HEAD~1 HEAD; do
    tree="$work/tree-$(echo "$rev" | tr -c 'a-zA-Z0-9' _)"
    rm -rf "$tree"; mkdir -p "$tree"; git -C "$repo" archive "$rev" | tar -x -C "$tree"
    kubectl kustomize "$tree/clusters/prod" >/dev/null
    for dir in "$tree"/apps/*/; do kubectl kustomize "$dir" >/dev/null; done
  done
  e=$(date +%s.%N)
  reference=$(seconds "$s" "$e")
  ratio=$(python3 -c "import sys; print('%.2fx' % (float(sys.argv[1]) / float(sys.argv[2])))" "$warm" "$reference")
fi
printf '%-15s %8s %8s %10s %12s %14s  %s\n' kustomizations cold_s warm_s warm_cpu_s kubectl_s warm/kubectl plan
printf '%-15s %8s %8s %10s %12s %14s  %s\n' "$count" "$cold" "$warm" "$cpu" "$reference" "$ratio" "$summary"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "target: warm < 10 s for 200 Kustomizations"
