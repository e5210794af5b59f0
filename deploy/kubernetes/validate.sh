#!/usr/bin/env bash
# Offline schema check of the manifests (no cluster needed): installs kubernetes-models and yaml from npm into the
# git-ignored .tools/k8s-models on first use, then validates every object (deploy/kubernetes/validate.mjs).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export K8S_MODELS_DIR="$ROOT/.tools/k8s-models"
if [ ! -f "$K8S_MODELS_DIR/node_modules/kubernetes-models/package.json" ] || [ ! -f "$K8S_MODELS_DIR/node_modules/yaml/package.json" ]; then
  mkdir -p "$K8S_MODELS_DIR"
  npm install --prefix "$K8S_MODELS_DIR" --no-audit --no-fund --loglevel=error kubernetes-models@5.1.0 yaml@2.9.1 >/dev/null
fi
node "$ROOT/deploy/kubernetes/validate.mjs"
