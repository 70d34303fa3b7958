#!/bin/sh
# PATCH.sh regenerates presswatch's copy of go-trafilatura in this folder
# from the Go module cache: the library's code without its tests, examples,
# command and test pages, with presswatch.patch applied.
#
#	third_party/go-trafilatura/PATCH.sh
#
# Run it from anywhere inside the presswatch module; it reads
# go-trafilatura's version from go.mod's require line, which
# TestTrafilaturaCopyVersion checks against VERSION here. When the patch no
# longer applies to a new version, git apply says which hunk failed.
# .ci/run runs it and fails when the copy it makes differs from the one
# committed: the copy is upstream's code and presswatch.patch, nothing else.
# Only the .go files are copied: v1.12.2 embeds no files and has no build
# tags or generate directives; check again when moving to another version.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
module=github.com/markusmobius/go-trafilatura
version=$(awk -v m="$module" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$root/go.mod")
[ -n "$version" ] || { echo "$0: no $module require line in $root/go.mod" >&2; exit 1; }
src=$(go env GOMODCACHE)/$module@$version
if [ ! -d "$src" ]; then
	echo "$0: $src missing: run go mod download $module@$version" >&2
	exit 1
fi

# Everything but this script, the patch and the README is regenerated.
find "$here" -mindepth 1 -maxdepth 1 ! -name PATCH.sh ! -name presswatch.patch ! -name README.md -exec rm -rf {} +

for f in "$src"/*.go; do
	case "$f" in *_test.go) continue ;; esac
	cp "$f" "$here/"
done
(cd "$src" && find internal -name '*.go' ! -name '*_test.go') | while read -r f; do
	mkdir -p "$here/$(dirname "$f")"
	cp "$src/$f" "$here/$f"
done
cp "$src/go.mod" "$src/go.sum" "$src/LICENSE" "$here/"
chmod -R u+w "$here"
# git apply refuses a hunk whose context does not match exactly, where
# patch(1) would apply it with fuzz or at an offset.
git -C "$root" apply -p1 --directory=third_party/go-trafilatura "$here/presswatch.patch"
echo "$version" >"$here/VERSION"
