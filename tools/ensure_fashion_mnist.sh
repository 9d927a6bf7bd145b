#!/usr/bin/env bash
# Make sure Fashion-MNIST is at hand (the mini benchmark and the tests' scenes
# are drawn from it). Two ways, tried in this order:
#   1. FASHION_MNIST_DIR: a folder with the four idx files (.gz or not) --
#      offline, no root needed;
#   2. Debian's package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist),
#      installed here with apt-get when run as root and apt-get exists.
# When neither works, the message names both. WSSS_MM_NO_APT=1 skips apt-get
# (as on a machine without it).
FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
DEFAULT_DIR=/usr/share/datasets/fashion-mnist
FMNIST_DIR=${FASHION_MNIST_DIR:-$DEFAULT_DIR}

missing_files() {  # the idx files missing from $1 (either form counts)
  local f out=""
  for f in $FILES; do
    [ -e "$1/$f" ] || [ -e "$1/$f.gz" ] || out="$out $f"
  done
  echo "$out"
}

fail() {  # $1: why neither way worked here
  cat >&2 <<MSG
[wsss_mm] Fashion-MNIST not found in $FMNIST_DIR (missing:$(missing_files "$FMNIST_DIR")).
  Here: $1.
  Two ways to provide it:
  1. without root or network (offline): put the four files
       $FILES
     (.gz is fine; they come from https://github.com/zalandoresearch/fashion-mnist)
     in a folder and point FASHION_MNIST_DIR at it:
       FASHION_MNIST_DIR=/path/to/folder make demo    (or make test)
  2. with apt (Debian/Ubuntu): sudo apt-get install dataset-fashion-mnist
MSG
  exit 1
}

[ -z "$(missing_files "$FMNIST_DIR")" ] && exit 0

if [ -n "$FASHION_MNIST_DIR" ]; then
  fail "FASHION_MNIST_DIR is set, so apt-get's folder ($DEFAULT_DIR) would not be read; fill the folder or unset the variable"
fi
if [ "${WSSS_MM_NO_APT:-0}" = 1 ]; then
  fail "apt-get is not used (WSSS_MM_NO_APT=1)"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  fail "apt-get is not available on this machine"
fi
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    fail "not root (apt-get needs it; sudo exists, see way 2)"
  fi
  fail "not root and no sudo, so apt-get cannot install packages"
fi
echo "[wsss_mm] installing Debian package dataset-fashion-mnist"
if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) \
    && [ -z "$(missing_files "$FMNIST_DIR")" ]; then
  exit 0
fi
fail "apt-get install dataset-fashion-mnist failed (no network or no such package?)"
