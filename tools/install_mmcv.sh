#!/usr/bin/env bash
# Install mmcv==2.1.0 *with compiled ops* into the python given as $1.
#
# 1. A wheel offered by PIP_FIND_LINKS (CI: ../shared/wheels) or by our own
#    cache (~/.cache/wsss_mm/wheels, or $WSSS_MM_WHEEL_CACHE) is taken as is.
# 2. Otherwise the sdist is built for the installed torch: torch >= 2.6 headers
#    need C++20, so setup.py's -std flag is patched; ~12 min on 2 cores.  The
#    built wheel is cached so a second install is instant.
set -euo pipefail
PY=${1:?usage: install_mmcv.sh PYTHON}
CACHE=${WSSS_MM_WHEEL_CACHE:-$HOME/.cache/wsss_mm/wheels}
mkdir -p "$CACHE"
if "$PY" -c "import mmcv, mmcv.ops; assert mmcv.__version__ == '2.1.0'" 2>/dev/null; then
  echo "[install_mmcv] mmcv 2.1.0 with ops already installed"; exit 0
fi
if "$PY" -m pip install -q --only-binary=mmcv --find-links "$CACHE" mmcv==2.1.0 \
   && "$PY" -c "import mmcv.ops"; then
  echo "[install_mmcv] installed from a prebuilt wheel"
  exit 0
fi
"$PY" -m pip uninstall -y mmcv >/dev/null 2>&1 || true
echo "[install_mmcv] no wheel found: building mmcv 2.1.0 from source (about 12 min on 2 cores)"
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
"$PY" -m pip install -q "setuptools>=70,<80" wheel   # pkg_resources for mmcv's setup.py
"$PY" -m pip download --no-deps --no-build-isolation --no-binary :all: mmcv==2.1.0 -d "$BUILD"
tar -xzf "$BUILD"/mmcv-2.1.0.tar.gz -C "$BUILD"
sed -i -e 's/-std=c++14/-std=c++20/g' -e 's/-std=c++17/-std=c++20/g' "$BUILD"/mmcv-2.1.0/setup.py
"$PY" -m pip install --no-deps ninja "setuptools<70"
(cd "$BUILD"/mmcv-2.1.0 && MMCV_WITH_OPS=1 MAX_JOBS=${MAX_JOBS:-2} \
  "$PY" -m pip wheel --no-build-isolation --no-deps -w "$BUILD/dist" .)
cp "$BUILD"/dist/mmcv-2.1.0-*.whl "$CACHE"/
"$PY" -m pip install --find-links "$CACHE" mmcv==2.1.0
"$PY" -m pip install "setuptools>=70,<80"
"$PY" -c "import mmcv.ops"
echo "[install_mmcv] built and cached in $CACHE"
