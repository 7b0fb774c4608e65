#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine: etcd, a kube-apiserver and
# kube-controller-manager built from Debian's kubernetes source package (cached under
# ~/.cache/currents/k8s-<version>), age (under ~/.cache/currents/age), git, gnupg (commit signatures), openssh-server, docker-registry (OCI registry; the
# image tests push to it), util-linux (unshare, to run an image from its layers), nats-server (notification-controller's
# nats provider publishes to it), chromium + chromium-driver (the UI's browser tests), Azurite (the Azure Storage emulator from npm, for the azure Bucket provider; under
# ~/.cache/currents/azurite, with node and npm from Debian where missing), and links them where kube-api-test
# looks for them (~/.kubeapitest/k8s/<version>-linux-amd64). Safe to run again: cached steps are skipped.
set -euo pipefail

K8S_VERSION=1.20.2
DEB_VERSION=1.20.5+really1.20.2-1.1+deb12u1
CACHE="${CURRENTS_CACHE:-$HOME/.cache/currents}/k8s-$K8S_VERSION"
KAT_DIR="$HOME/.kubeapitest/k8s/$K8S_VERSION-linux-amd64"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

log() { echo "[install-test-deps] $*"; }

need_pkgs=()
# util-linux and mount: the image tests run an image's entrypoint with unshare and bind mounts (docs/images.md);
# zsh and fish: the CLI's completion scripts are run in them (CompletionCommandTest);
# chromium and chromium-driver: the UI's browser tests drive a headless Chromium with Selenium (docs/ui.md)
for p in etcd-server git gnupg openssh-server openssh-client docker-registry rsync jq golang-go golang-github-modern-go-reflect2-dev \
    dpkg-dev util-linux mount nats-server zsh fish chromium chromium-driver; do
  dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# age (SOPS interoperability tests): unpacked from Debian's package into the cache, no root needed
AGE_DIR="${CURRENTS_CACHE:-$HOME/.cache/currents}/age"
if [ ! -x "$AGE_DIR/usr/bin/age" ]; then
  log "unpacking Debian's age package into $AGE_DIR"
  work=$(mktemp -d "${TMPDIR:-/tmp}/currents-age.XXXXXX")
  (cd "$work" && apt-get download -qq age >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download -qq age >/dev/null; })
  mkdir -p "$AGE_DIR"
  dpkg -x "$work"/age_*.deb "$AGE_DIR"
  rm -rf "$work"
fi

AZURITE_VERSION=3.37.0
AZURITE_DIR="${CURRENTS_CACHE:-$HOME/.cache/currents}/azurite"
if [ ! -x "$AZURITE_DIR/node_modules/.bin/azurite-blob" ] || \
    ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$AZURITE_DIR/node_modules/azurite/package.json" 2>/dev/null; then
  if ! command -v npm >/dev/null; then
    log "installing Debian packages: nodejs npm"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
  fi
  log "installing azurite $AZURITE_VERSION into $AZURITE_DIR"
  mkdir -p "$AZURITE_DIR"
  npm install --prefix "$AZURITE_DIR" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
fi

if [ ! -x "$CACHE/kube-apiserver" ] || [ ! -x "$CACHE/kube-controller-manager" ]; then
  log "building kube-apiserver and kube-controller-manager $K8S_VERSION from Debian's source package (about 9 minutes)"
  src_list=/etc/apt/sources.list.d/currents-deb-src.list
  if [ ! -f "$src_list" ]; then
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main" | $SUDO tee "$src_list" >/dev/null
    $SUDO apt-get update -qq
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/currents-k8s-build.XXXXXX")
  (
    cd "$work"
    apt-get source -qq --download-only "kubernetes=$DEB_VERSION" >/dev/null
    dpkg-source -x --skip-patches kubernetes_*.dsc tree >/dev/null 2>&1 || dpkg-source -x kubernetes_*.dsc tree >/dev/null
    cd tree
    # reflect2 v1.0.1 crashes under Go >= 1.18; use Debian's 1.0.2 sources instead.
    rm -rf vendor/github.com/modern-go/reflect2
    cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/reflect2
    rm -f vendor/github.com/modern-go/reflect2/go.mod
    sed -i 's#github.com/modern-go/reflect2 v1.0.1#github.com/modern-go/reflect2 v1.0.2#' go.mod vendor/modules.txt
    mkdir -p .go/src/k8s.io
    ln -sfn "$PWD" .go/src/k8s.io/kubernetes
    export GOPATH="$PWD/.go" CGO_ENABLED=0 GOFLAGS=-mod=vendor
    make WHAT=cmd/kube-apiserver >/dev/null
    make WHAT=cmd/kube-controller-manager >/dev/null
    mkdir -p "$CACHE"
    cp _output/bin/kube-apiserver _output/bin/kube-controller-manager "$CACHE/"
  )
  rm -rf "$work"
fi

mkdir -p "$KAT_DIR"
ln -sfn "$CACHE/kube-apiserver" "$KAT_DIR/kube-apiserver"
ln -sfn "$CACHE/kube-controller-manager" "$KAT_DIR/kube-controller-manager"
ln -sfn /usr/bin/etcd "$KAT_DIR/etcd"
ln -sfn "$(command -v kubectl || echo /usr/bin/kubectl)" "$KAT_DIR/kubectl"
log "control plane binaries ready in $KAT_DIR"
