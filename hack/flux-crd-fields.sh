#!/usr/bin/env bash
# Extracts the schema facts (field paths, types, enums, defaults, required lists, bounds, CEL rules,
# printer columns, short names, categories) of Flux's published CRDs into the test fixture
# api/src/test/resources/flux-crd-fields/, one <crd-name>.txt per CRD. FluxCrdFieldsTest then fails
# on any fact of Flux's that manifests/crds/ lacks.
#
# usage: hack/flux-crd-fields.sh "<where the files come from>" <crd.yaml or directory>...
#   The files are Flux's CRDs as released, e.g. the *.crds.yaml assets of a controller's GitHub
#   release, or config/crd/bases/*.yaml of its repository at the release tag. Example:
#   hack/flux-crd-fields.sh "kustomize-controller v1.9.4 config/crd/bases" ~/src/kustomize-controller/config/crd/bases
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
source="$1"; shift
files=()
for arg in "$@"; do
  if [ -d "$arg" ]; then
    while IFS= read -r f; do files+=("$(realpath "$f")"); done < <(find "$arg" -maxdepth 1 -name '*.yaml' | sort)
  else
    files+=("$(realpath "$arg")")
  fi
done
source hack/java-env.sh
cp_file=api/target/flux-crd-fields.classpath
./mvnw -B -q -o -pl api test-compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$cp_file" -Dmdep.includeScope=test
java -cp "api/target/test-classes:api/target/classes:$(cat "$cp_file")" io.currents.api.crd.CrdFieldList \
  api/src/test/resources/flux-crd-fields "$source" "${files[@]}"
