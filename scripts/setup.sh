#!/bin/sh
# Installs everything the quick start and the tests need on a fresh Debian machine, idempotently:
# system tools (Chromium, chromium-headless-shell, ffmpeg, fonts; xvfb/libkrb5-dev/ripgrep for the
# end-to-end tests' code-server), then the npm packages, then builds dist/.
# usage: scripts/setup.sh            (run from anywhere; root or sudo needed only when apt has work to do)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

APT_PACKAGES="chromium chromium-headless-shell ffmpeg fonts-dejavu-core fonts-liberation xauth xvfb libkrb5-dev ripgrep ca-certificates redis-server"

missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -x /usr/lib/chromium/chromium-headless-shell ] || missing="$missing chromium-headless-shell"
command -v ffmpeg >/dev/null 2>&1 || missing="$missing ffmpeg"
command -v ffprobe >/dev/null 2>&1 || missing="$missing ffmpeg"
[ -d /usr/share/fonts/truetype/dejavu ] || missing="$missing fonts-dejavu-core"
[ -d /usr/share/fonts/truetype/liberation ] || missing="$missing fonts-liberation"
command -v xvfb-run >/dev/null 2>&1 || missing="$missing xvfb xauth"
[ -e /usr/include/gssapi/gssapi.h ] || missing="$missing libkrb5-dev"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
# The render farm (render --farm) runs on Redis; its tests start their own redis-server.
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"

if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get is not available on this machine. Install these yourself, then run this again:" >&2
    echo "  Chromium (or chromium-headless-shell), ffmpeg with ffprobe, a font set (DejaVu/Liberation)" >&2
    echo "  and, for the end-to-end tests, xvfb, libkrb5-dev and ripgrep." >&2
    echo "  Or point HYPERFRAMES_CHROMIUM / HYPERFRAMES_FFMPEG at binaries you already have." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: not root and no sudo; run as root: apt-get install -y$missing" >&2; exit 1
    fi
  fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086  # the package list is split on purpose
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
fi

# ffmpeg-static's install script downloads a binary from GitHub, which fails offline; given FFMPEG_BIN
# it accepts that binary instead. It is an optional dependency, so a failed download never aborts npm.
FFMPEG_BIN="${FFMPEG_BIN:-$(command -v ffmpeg)}"
export FFMPEG_BIN
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

echo "setup: building dist/"
npm run --silent build
echo "setup: done ($(chromium --version 2>/dev/null | head -1); $(ffmpeg -version 2>/dev/null | head -1 | cut -d' ' -f1-3))"
