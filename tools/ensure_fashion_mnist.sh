#!/usr/bin/env bash
# Make sure Debian's dataset-fashion-mnist is installed (the mini benchmark is built from it).
FMNIST_DIR=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if ls "$FMNIST_DIR"/train-images-idx3-ubyte* >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  echo "[wsss_mm] installing Debian package dataset-fashion-mnist"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist) \
    || { echo "[wsss_mm] apt-get install dataset-fashion-mnist failed" >&2; exit 1; }
else
  cat >&2 <<MSG
[wsss_mm] Fashion-MNIST not found in $FMNIST_DIR and this is not root.
  Either run as root:   sudo apt-get install dataset-fashion-mnist
  or download the four idx files (train/t10k images and labels, .gz is fine)
  into a folder and point FASHION_MNIST_DIR at it.
MSG
  exit 1
fi
