#!/usr/bin/env bash
# Regenerates expected.yaml (or checks expected-error.txt) and expected-warnings.txt for every corpus
# case with `kubectl kustomize` (kustomize v5.5.0 inside kubectl). Usage: regenerate.sh [case ...]
set -euo pipefail
cd "$(dirname "$0")"
command -v kubectl >/dev/null || { echo "kubectl is needed" >&2; exit 1; }
# kubectl's stderr notices before its error line, klog headers dropped, unused var names sorted
# (kustomize lists them in Go's random map order); as Corpus.kubectlWarnings reads them
warnings() {
  sed -E '/^E[0-9]{4} /,$d; /^$/d; s/^[IW][0-9]{4} [0-9:.]+ +[0-9]+ [^] ]+\] //' "$1" | while IFS= read -r line; do
    case "$line" in
      "well-defined vars that were never replaced: "*)
        names=${line#well-defined vars that were never replaced: }
        echo "well-defined vars that were never replaced: $(tr ',' '\n' <<<"$names" | LC_ALL=C sort | paste -sd,)";;
      *) printf '%s\n' "$line";;
    esac
  done
}
write_warnings() {
  local c="$1" err="$2"
  rm -f "$c/expected-warnings.txt"
  # helm cases run helm through the shim and Flux-style cases a generated copy: no notices recorded
  [ -f "$c/enable-helm" ] || [ -f "$c/generate-missing-kustomization" ] && return 0
  local w; w=$(warnings "$err")
  [ -z "$w" ] || printf '%s\n' "$w" > "$c/expected-warnings.txt"
}
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  mapfile -t cases < <(find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
fi
for c in "${cases[@]}"; do
  dir="$c"
  [ -f "$c/build-path.txt" ] && dir="$c/$(cat "$c/build-path.txt")"
  if [ -f "$c/generate-missing-kustomization" ]; then
    # kubectl refuses a directory without a kustomization: build a copy with the one Flux generates
    tmp=$(mktemp -d)/root; mkdir -p "$tmp"; cp -a "$dir/." "$tmp/"
    (cd "$tmp" && {
      echo "apiVersion: kustomize.config.k8s.io/v1beta1"; echo "kind: Kustomization"; echo "resources:"
      find . -mindepth 1 \( -type d -exec sh -c 'for f in kustomization.yaml kustomization.yml Kustomization; do [ -f "$1/$f" ] && exit 0; done; exit 1' _ {} \; -print -prune \) -o \( -type f \( -name '*.yaml' -o -name '*.yml' \) -print \) | LC_ALL=C sort | sed 's/^/- /'
    } > ../kustomization.generated && mv ../kustomization.generated kustomization.yaml)
    dir="$tmp"
  fi
  flags=()
  # helm cases: kubectl's kustomize runs helm through hack/helm-shim.sh (no helm binary here), which is
  # the CLI's helm-java inflator behind helm's command line; build it first (see the shim)
  [ -f "$c/enable-helm" ] && flags=(--enable-helm --helm-command "$(cd ../../../../.. && pwd)/hack/helm-shim.sh")
  if [ -f "$c/expected-error.txt" ]; then
    if kubectl kustomize "${flags[@]}" "$dir" >/dev/null 2>"/tmp/regenerate-$c.err"; then
      echo "$c: kubectl kustomize succeeds but the case expects an error" >&2
    fi
    write_warnings "$c" "/tmp/regenerate-$c.err"
    continue
  fi
  if ! kubectl kustomize "${flags[@]}" "$dir" > "$c/expected.yaml" 2>"/tmp/regenerate-$c.err"; then
    echo "$c: kubectl kustomize failed: $(cat /tmp/regenerate-$c.err)" >&2
    rm -f "$c/expected.yaml"
  fi
  write_warnings "$c" "/tmp/regenerate-$c.err"
done
