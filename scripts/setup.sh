#!/usr/bin/env bash
# Sets up pagesight on a fresh machine: a browser (Debian's chromium + CJK fonts when none is found and
# we are root), a virtual environment in .venv, and the package with the extras asked for.
#   scripts/setup.sh            runtime only (enough for `pagesight run`)
#   scripts/setup.sh test       + dev, vlm (CPU torch 2.13.0), remote, serve: everything the tests use
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-run}
VENV=${VENV:-.venv}

have_browser() {
  [ -n "${PAGESIGHT_BROWSER:-}" ] && [ -x "${PAGESIGHT_BROWSER}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium*/chrome-linux*/chrome >/dev/null 2>&1
}

if ! have_browser || ! fc-list 2>/dev/null | grep -qi 'noto.*cjk'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium and fonts-noto-cjk"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "setup: no browser found; install one (apt-get install chromium fonts-noto-cjk) or set PAGESIGHT_BROWSER" >&2
  fi
fi

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PIP="$VENV/bin/python -m pip install -q --disable-pip-version-check"
if [ "$want" = test ]; then
  # Pin the CPU build first: an unpinned torch would pull a multi-GB CUDA build.
  $PIP torch==2.13.0
  $PIP -e ".[dev,vlm,remote,serve]"
else
  $PIP -e .
fi
echo "setup: ready ($VENV, extras: $want)"
