#!/usr/bin/env bash
# Reproduces models/src/main/resources/datasets/uci-digits.csv.gz: the UCI optical recognition
# of handwritten digits test set (1,797 8x8 images, pixel values 0-16, label last; CC BY 4.0,
# E. Alpaydin and C. Kaynak), as Debian's python3-sklearn ships it. Downloads the .deb only.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-sklearn >/dev/null && dpkg-deb -x python3-sklearn_*.deb x)
cp "$(find "$tmp/x" -name digits.csv.gz | head -1)" "$here/models/src/main/resources/datasets/uci-digits.csv.gz"
echo "wrote models/src/main/resources/datasets/uci-digits.csv.gz"
