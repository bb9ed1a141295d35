#!/bin/sh
# Installs code-server 4.100.3 (VS Code 1.100.3, the last release that runs on Node 20) into DEST,
# for running the extension's end-to-end tests in a real VS Code without a network download.
# usage: scripts/install-code-server.sh [DEST]   (default: .tools/code-server in this repo, gitignored)
# Prints the code-server version when done; idempotent (a stamp file marks a finished install).
# Needs from apt: libkrb5-dev (kerberos build) and ripgrep (copied in place of @vscode/ripgrep's download).
# Run the server with DEST/node_modules/code-server/lib/vscode/out/server-main.js (see
# tests/e2e/run.mjs, which runs the end-to-end tests with it).
set -eu
DEST="${1:-$(cd "$(dirname "$0")/.." && pwd)/.tools/code-server}"
VERSION=4.100.3
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
BIN="$DEST/node_modules/.bin/code-server"
STAMP="$DEST/.code-server-$VERSION.done"   # written last, so a half-finished install is redone
# code-server writes a config file (with a password) and a log folder under the XDG folders even for
# --version, and on first run logs that before the version: keep them in DEST, print only the version.
version() {
  XDG_CONFIG_HOME="$DEST/.xdg" XDG_DATA_HOME="$DEST/.xdg" "$BIN" --version | grep "^$VERSION "
}
if [ -f "$STAMP" ] && [ -x "$BIN" ] && version; then
  exit 0
fi
missing=""
[ -e /usr/include/gssapi/gssapi.h ] || missing="$missing libkrb5-dev"
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # shellcheck disable=SC2086  # $missing is a list of package names, split on purpose
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  else
    echo "install-code-server: please install:$missing" >&2
    exit 1
  fi
fi
# node-gyp cannot download Node's headers offline: use those installed beside node (/usr/include/node).
export npm_config_nodedir="${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}"
cd "$DEST"
[ -f package.json ] || npm init -y >/dev/null
npm install "code-server@$VERSION" --ignore-scripts --no-audit --no-fund
npm rebuild argon2                      # its prebuilt download fails offline; node-gyp builds it from source
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg   # its postinstall skips the download when bin/ exists
npm_config_yes=true npm rebuild         # native modules; node-pty's postinstall calls npx node-gyp
cd ../..
# postinstall.sh installs lib/vscode and its built-in extensions; it insists on unsafe-perm as root
# (newer npm warns that it does not know that setting: harmless).
npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" npm_config_unsafe_perm=true npm_config_yes=true sh ./postinstall.sh
version
touch "$STAMP"
