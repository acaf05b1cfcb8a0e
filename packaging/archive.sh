#!/usr/bin/env bash
# Release archives of the Go builds, and the checksums of everything in DIST:
#   packaging/archive.sh DIST VERSION GOOS/GOARCH...
# writes DIST/tdlint_<version>_<os>_<arch>.zip (Windows) or .tar.gz (others),
# each with the binary, README.md and the license if there is one, then
# DIST/SHA256SUMS over the archives, wheels and VSIX files there.
set -euo pipefail
dist=$(cd "$1" && pwd)
version=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
for p in "$@"; do
  goos=${p%/*} goarch=${p#*/}
  name=tdlint_${version}_${goos}_${goarch}
  stage=$(mktemp -d)
  mkdir "$stage/$name"
  exe=tdlint
  [ "$goos" = windows ] && exe=tdlint.exe
  cp "$dist/$goos-$goarch/$exe" "$root/README.md" "$stage/$name/"
  [ -f "$root/LICENSE" ] && cp "$root/LICENSE" "$stage/$name/"
  if [ "$goos" = windows ]; then
    rm -f "$dist/$name.zip"
    (cd "$stage" && python3 -m zipfile -c "$dist/$name.zip" "$name")
    echo "archive $dist/$name.zip"
  else
    # Reproducible: fixed owner and order, the commit's time when known.
    tar --sort=name --owner=0 --group=0 --numeric-owner \
      --mtime="@${SOURCE_DATE_EPOCH:-0}" -C "$stage" -czf "$dist/$name.tar.gz" "$name"
    echo "archive $dist/$name.tar.gz"
  fi
  rm -rf "$stage"
done
(cd "$dist" && find . -maxdepth 1 -type f \( -name '*.zip' -o -name '*.tar.gz' -o -name '*.whl' -o -name '*.vsix' \) \
  -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "checksums $dist/SHA256SUMS"
