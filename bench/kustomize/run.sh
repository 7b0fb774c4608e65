#!/usr/bin/env bash
# Benchmarks the Java kustomize engine against `kubectl kustomize` on generated inputs:
#  (a) a realistic overlay set: a base and 3 overlays (generators, patches, images), ~200 objects
#  (b) a monorepo: 100 applications of 40 objects each (~4,000 objects)
# Prints warm in-process and cold (bin/currents) times next to kubectl's, and the ratios.
# A benchmark, not a test: it never fails because something is slow.
# BENCH_RUNS (default 5) runs per timing; BENCH_MONO_APPS (default 100) sizes the monorepo;
# BENCH_WARM_BUILDS (default 15) is the warm-up and the timed builds of the in-process run
# (hack/bench-smoke.sh makes them tiny to check the script still runs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/hack/java-env.sh"
command -v python3 >/dev/null || { echo "python3 is needed to generate the inputs" >&2; exit 1; }
work="${BENCH_DIR:-$(mktemp -d)}"
runs="${BENCH_RUNS:-5}"

python3 - "$work" "${BENCH_MONO_APPS:-100}" <<'PY'
import os, sys
work = sys.argv[1]
mono_apps = int(sys.argv[2])
def w(path, text):
    p = os.path.join(work, path); os.makedirs(os.path.dirname(p), exist_ok=True); open(p, "w").write(text)

def app_objects(name, image):
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app: {name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      serviceAccountName: {name}
      containers:
      - name: {name}
        image: {image}:1.0.0
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: LOG_LEVEL
          value: info
        envFrom:
        - configMapRef:
            name: {name}-config
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        volumeMounts:
        - name: config
          mountPath: /etc/{name}
      volumes:
      - name: config
        configMap:
          name: {name}-config
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector:
    app: {name}
  ports:
  - port: 80
    targetPort: http
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- kind: ServiceAccount
  name: {name}
"""

# (a) base + 3 overlays, built together: 16 apps x 4 objects + generators, x3 namespaces
base = "resources:\n" + "".join(f"- app{i}.yaml\n" for i in range(16))
base += "configMapGenerator:\n" + "".join(f"- name: svc{i}-config\n  literals: [PORT=8080, NAME=svc{i}]\n" for i in range(16))
w("overlay/base/kustomization.yaml", base)
for i in range(16):
    w(f"overlay/base/app{i}.yaml", app_objects(f"svc{i}", f"registry.example.com/team/svc{i}"))
for env, reps in (("dev", 1), ("staging", 2), ("prod", 3)):
    w(f"overlay/{env}/kustomization.yaml", f"""namespace: {env}
namePrefix: {env}-
labels:
- pairs:
    env: {env}
  includeSelectors: true
commonAnnotations:
  owner: platform
resources:
- ../base
images:
""" + "".join(f"- name: registry.example.com/team/svc{i}\n  newTag: \"1.{i}.{reps}\"\n" for i in range(16)) + f"""configMapGenerator:
- name: svc0-config
  behavior: merge
  literals: [ENV={env}]
secretGenerator:
- name: db
  literals: [password={env}-secret]
patches:
- target:
    kind: Deployment
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: any
    spec:
      replicas: {reps}
      template:
        spec:
          containers:
          - name: sidecar
            image: envoyproxy/envoy:v1.31.0
- target:
    kind: Service
  patch: |-
    - op: replace
      path: /spec/ports/0/port
      value: 8{reps}
""")
w("overlay/all/kustomization.yaml", "resources:\n- ../dev\n- ../staging\n- ../prod\n")

# (b) monorepo: 100 apps x (10 workloads x 4 objects)
top = "resources:\n"
for a in range(mono_apps):
    top += f"- apps/app{a:03d}\n"
    k = f"namePrefix: a{a:03d}-\ncommonLabels:\n  app.kubernetes.io/part-of: app{a:03d}\nresources:\n"
    for j in range(10):
        k += f"- w{j}.yaml\n"
        w(f"mono/apps/app{a:03d}/w{j}.yaml", app_objects(f"w{j}", f"registry.example.com/app{a:03d}/w{j}"))
    k += "configMapGenerator:\n" + "".join(f"- name: w{j}-config\n  literals: [APP=app{a:03d}]\n" for j in range(10))
    w(f"mono/apps/app{a:03d}/kustomization.yaml", k)
w("mono/kustomization.yaml", top)
PY

echo "inputs in $work"
echo "building the engine and the CLI..."
# BENCH_NO_BUILD=1: the engine and the CLI were just built and installed (hack/test.sh runs the smoke after the build)
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  (cd "$root" && ./mvnw -B -q install -pl kustomize,cli -am -DskipTests && ./mvnw -B -q test-compile -pl kustomize) >/dev/null 2>&1 || \
    (cd "$root" && ./mvnw -B -q install -pl kustomize,cli -am -DskipTests && ./mvnw -B -q test-compile -pl kustomize)
fi
# the engine's classes first, then its runtime dependencies (SnakeYAML, JGit for remote bases, ...) as the CLI ships them
cp="$root/kustomize/target/classes:$root/kustomize/target/test-classes"
for jar in "$root"/cli/target/lib/*.jar; do
  case "$(basename "$jar")" in currents-kustomize-*) ;; *) cp="$cp:$jar" ;; esac
done

ms() { python3 -c "import sys; print('%.0f' % (float(sys.argv[1]) * 1000))" "$1"; }
median_time() { # out-file runs command... -> median wall seconds; the first run's stdout goes to out-file
  local out="$1" n="$2"; shift 2
  local ts=() i
  for i in $(seq "$n"); do
    local s e; s=$(date +%s.%N)
    if [ "$i" = 1 ]; then "$@" >"$out" 2>/dev/null || true; else "$@" >/dev/null 2>&1 || true; fi
    e=$(date +%s.%N)
    ts+=("$(python3 -c "print($e - $s)")")
  done
  printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}

warm_builds="${BENCH_WARM_BUILDS:-15}"
warm_out=$(java -Xss8m -Dbench.warmup="$warm_builds" -Dbench.runs="$warm_builds" -cp "$cp" \
  io.currents.kustomize.bench.KustomizeBench "$work/overlay/all" "$work/mono")
"$root/bin/currents" kustomize build "$work/overlay/all" >/dev/null   # creates the CDS archive
printf '%-8s %8s %12s %10s %10s %11s %11s %s\n' input objects kubectl_ms warm_ms cold_ms kubectl/warm cold/kubectl same
for input in overlay/all mono; do
  dir="$work/$input"
  # kubectl kustomize is quadratic in name references: the monorepo takes minutes, so it runs once
  kruns=$runs; [ "$input" = mono ] && kruns="${BENCH_KUBECTL_MONO_RUNS:-1}"
  line=$(grep "^$dir " <<<"$warm_out")
  objects=$(awk '{print $2}' <<<"$line"); warm=$(awk '{print $4}' <<<"$line")
  k=$(median_time "$work/kubectl.out" "$kruns" kubectl kustomize "$dir")
  c=$(median_time "$work/currents.out" "$runs" "$root/bin/currents" kustomize build "$dir")
  if cmp -s "$work/kubectl.out" "$work/currents.out"; then same=yes; else same=NO; fi
  kms=$(ms "$k"); cms=$(ms "$c")
  printf '%-8s %8s %12s %10s %10s %11s %11s %s\n' "${input%%/*}" "$objects" "$kms" "$warm" "$cms" \
    "$(python3 -c "print('%.1fx' % ($kms / $warm))")" "$(python3 -c "print('%.2fx' % ($cms / $kms))")" "$same"
done
echo "kubectl/warm: how many times faster the warm in-process build is; cold/kubectl: bin/currents time over kubectl's (goal <= 2)"
