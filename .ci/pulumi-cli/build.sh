#!/usr/bin/env bash
# Makes sure a `pulumi` CLI matching the locked @pulumi/pulumi is available and prints the folder
# that holds it. Uses `pulumi` from PATH when one is there; otherwise builds it from the Go module
# proxy through this wrapper module (go.mod and go.sum pin every module) into a cache folder outside
# the checkout, reused by later runs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="v3.248.0"

if command -v pulumi >/dev/null 2>&1; then
  dirname "$(command -v pulumi)"
  exit 0
fi

cache="${PULUMI_SRM_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-srm/pulumi-cli/$version}"
bin="$cache/bin"
if [ -x "$bin/pulumi" ] && "$bin/pulumi" version 2>/dev/null | grep -qx "$version"; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "pulumi-cli: neither 'pulumi' nor 'go' is on PATH; install the Pulumi CLI (https://www.pulumi.com/docs/install/)" >&2
  exit 3
fi

mkdir -p "$bin"
echo "pulumi-cli: building pulumi $version into $bin (first run only; a few minutes)" >&2
tmp="$bin/pulumi.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(cd "$here" && go build -mod=readonly -trimpath \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) >&2
mv -f "$tmp" "$bin/pulumi"
echo "$bin"
