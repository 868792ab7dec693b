#!/usr/bin/env bash
# Node 22 with the newest dependencies the declared ranges allow: copies the checkout to a temporary
# folder, installs without the lockfile, builds and runs the mocha suite there (all but the CLI levels) (lint is left to the
# main leg: newer formatter releases restyle code without changing what it does).
# Node 22 comes from the `node` package of the npm registry, cached outside the checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PULUMI_SRM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-srm}/node22"
NODE22="$CACHE/node_modules/node/bin/node"

if [ ! -x "$NODE22" ]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-save --no-audit --no-fund --loglevel=error node@22 >&2
fi
TMP="$(mktemp -d "${TMPDIR:-/tmp}/pulumi-srm-node22.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
WORK="$TMP/pulumi-srm"
mkdir "$WORK"
# The contract test reads VMware's spec from ../shared beside the checkout.
[ -d "$ROOT/../shared" ] && ln -s "$ROOT/../shared" "$TMP/shared"
trap 'exit 130' INT TERM

# Tracked and new (not ignored) files: what a fresh clone of this working tree holds.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$WORK"
rm -f "$WORK/package-lock.json"

cd "$WORK"
export PATH="$(dirname "$NODE22"):$PATH"
echo "node22 leg: node $(node --version), npm $(npm --version), in $WORK"
npm install --no-package-lock --no-audit --no-fund --loglevel=error
echo "node22 leg: resolved versions"
npm ls --depth=0 --omit=dev 2>/dev/null | tail -n +2
npm ls --depth=0 --workspace=pulumi-srm-simulator 2>/dev/null | tail -n +2 || true
npm ls --depth=0 typescript @types/node mocha 2>/dev/null | tail -n +2 || true
npm run build --silent
# Every level that runs the package's code on the newest dependencies: unit, client, simulator, contract,
# the dynamic-provider host and the programs. The CLI and reliability suites drive the pinned pulumi CLI,
# whose Automation API must match the locked @pulumi/pulumi; the main leg runs them.
npx mocha --ignore 'dist/test/cli/**' --ignore 'dist/test/reliability/**' --ignore 'dist/test/package/**'
