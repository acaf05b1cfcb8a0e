#!/usr/bin/env bash
# Builds the platform-specific VS Code extensions, each carrying its tdlint:
#   packaging/vsix.sh DIST GOOS/GOARCH...
# reads DIST/<os>-<arch>/tdlint[.exe] (make cross) and writes
# DIST/tdlint-vscode-<vsce target>.vsix with the binary as bin/tdlint[.exe].
# Needs editors/vscode's node_modules (npm ci): vsce is a devDependency.
set -euo pipefail
dist=$(cd "$1" && pwd)
shift
ext=$(cd "$(dirname "$0")/../editors/vscode" && pwd)
vsce="$ext/node_modules/.bin/vsce"
[ -x "$vsce" ] || { echo "vsix: no $vsce: run npm ci in editors/vscode" >&2; exit 2; }

trap 'rm -rf "$ext/bin"' EXIT
for p in "$@"; do
  goos=${p%/*} goarch=${p#*/}
  case $goos in windows) os=win32 exe=tdlint.exe ;; darwin | linux) os=$goos exe=tdlint ;; *) echo "vsix: no target for $p" >&2; exit 2 ;; esac
  case $goarch in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "vsix: no target for $p" >&2; exit 2 ;; esac
  target=$os-$arch
  rm -rf "$ext/bin" && mkdir "$ext/bin"
  install -m 755 "$dist/$goos-$goarch/$exe" "$ext/bin/$exe"
  (cd "$ext" && "$vsce" package --target "$target" --skip-license --out "$dist/tdlint-vscode-$target.vsix" >/dev/null)
  echo "vsix $dist/tdlint-vscode-$target.vsix"
done
