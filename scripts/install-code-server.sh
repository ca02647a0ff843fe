#!/usr/bin/env bash
# Installs a real VS Code (code-server, web workbench + Node extension host) and a browser
# driver (playwright-core + Debian's chromium) into scripts/code-server/, for
# scripts/test-vscode.mjs and scripts/start.mjs.
#
# Idempotent and fast when already installed: a stamp file records the hash of
# scripts/code-server/package-lock.json + the Node major it was built with; when that
# matches and the binaries are there, nothing is done.
#
# Works as root, non-interactively (CI=true, no stdin). Needs the npm registry and Debian's
# apt repositories only:
#   - Debian packages: chromium (the browser), libkrb5-dev + pkg-config (native modules of
#     code-server), ripgrep (its binary replaces the GitHub download of @vscode/ripgrep),
#     installed only when missing (one `apt-get update` first).
#   - @vscode/ripgrep's postinstall downloads rg from GitHub, unreachable here. Its downloader
#     first looks in $TMPDIR/vscode-ripgrep-cache-<version>/ for the release archive, so we
#     put a tar.gz holding Debian's /usr/bin/rg there before `npm ci`.
#   - npm_config_unsafe_perm=true: code-server's postinstall refuses to run as root otherwise.
#   - npm_config_yes=true: node-pty's install runs `npx node-gyp`, which would wait for "yes".
#
# Usage: bash scripts/install-code-server.sh [--force]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CS_DIR="$HERE/code-server"
STAMP="$CS_DIR/node_modules/.trl-install-stamp"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"
PW_PKG="$CS_DIR/node_modules/playwright-core/package.json"
FORCE=0
if [[ "${1:-}" == "--force" ]]; then FORCE=1; fi

log() { echo "[install-code-server] $*" >&2; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != "20" ]]; then
  log "WARNING: code-server 4.100.x requires Node 20 exactly; this is Node $(node -v). Its postinstall will likely refuse."
fi

stamp_of() { { cat "$CS_DIR/package.json" "$CS_DIR/package-lock.json" 2>/dev/null || true; } | sha256sum | cut -d' ' -f1; }
want_stamp="$(stamp_of) node$node_major"

# ---- 1. Debian packages --------------------------------------------------------------
# chromium: the browser; libkrb5-dev + pkg-config (+ g++/make/python3): code-server's native
# modules; ripgrep: see above; fonts-dejavu-core: readable text in screenshots (chromium
# only recommends fonts, and recommends are not installed).
APT_PKGS=(chromium libkrb5-dev pkg-config ripgrep g++ make python3 fonts-dejavu-core)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if (( ${#missing[@]} )); then
  if ! command -v apt-get >/dev/null; then
    log "ERROR: missing packages ${missing[*]} and no apt-get here"; exit 1
  fi
  SUDO=""
  if [[ "$(id -u)" != "0" ]]; then SUDO="sudo -n"; fi
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt/dpkg (up to 10 min) rather than failing on the lock.
  APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  $SUDO apt-get "${APT_OPTS[@]}" update -q </dev/null
  $SUDO apt-get "${APT_OPTS[@]}" install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# ---- fast path ------------------------------------------------------------------------
if [[ $FORCE == 0 && -f "$STAMP" && -f "$CS_BIN" && -f "$PW_PKG" ]] \
   && [[ "$(cat "$STAMP")" == "$want_stamp" ]]; then
  log "already installed ($(node -p "require('$CS_DIR/node_modules/code-server/package.json').version"))"
  exit 0
fi

# ---- 2. ripgrep cache archive for @vscode/ripgrep's postinstall -----------------------
RG_BIN="$(command -v rg || true)"
if [[ -z "$RG_BIN" ]]; then log "ERROR: rg not found after installing ripgrep"; exit 1; fi
TMP_ROOT="${TMPDIR:-/tmp}"
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64|arm64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) RG_TARGET="" ;;
esac
# The cache folder is per @vscode/ripgrep package version, the archive name per rg release:
# code-server 4.100.3 installs @vscode/ripgrep 1.15.11 (inside lib/vscode, from its own
# postinstall), which asks for rg v13.0.0-10. Bump these when bumping code-server.
RG_PKG_VERSION=1.15.11
RG_RELEASE=v13.0.0-10
if [[ -n "$RG_TARGET" ]]; then
  stage="$(mktemp -d)"
  cp "$RG_BIN" "$stage/rg"; chmod 755 "$stage/rg"
  cache="$TMP_ROOT/vscode-ripgrep-cache-$RG_PKG_VERSION"
  archive="$cache/ripgrep-$RG_RELEASE-$RG_TARGET.tar.gz"
  mkdir -p "$cache"
  # Any rg binary serves; the archive must hold a single executable named rg.
  if ! tar -tzf "$archive" 2>/dev/null | grep -qx rg; then
    tar -C "$stage" -czf "$archive" rg
  fi
  rm -rf "$stage"
  log "ripgrep cache prepared: $archive (from $RG_BIN)"
else
  log "WARNING: unknown arch $(uname -m); @vscode/ripgrep may fail to download"
fi

# ---- 3. npm ci ---------------------------------------------------------------------------
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
cd "$CS_DIR"
start=$SECONDS
if [[ -f package-lock.json ]]; then
  log "npm ci in $CS_DIR (code-server builds native modules; ~1 min)"
  npm ci --no-audit --no-fund </dev/null >&2
else
  log "no package-lock.json yet: npm install to create it"
  npm install --no-audit --no-fund --save-exact </dev/null >&2
fi

[[ -f "$CS_BIN" ]] || { log "ERROR: $CS_BIN missing after install"; exit 1; }
[[ -f "$PW_PKG" ]] || { log "ERROR: playwright-core missing after install"; exit 1; }
# The ripgrep binary must be there, or search (Quick Open) breaks silently.
if ! find "$CS_DIR/node_modules/code-server" -path '*@vscode/ripgrep/bin/rg' -type f 2>/dev/null | grep -q .; then
  log "ERROR: @vscode/ripgrep/bin/rg missing in code-server after install"; exit 1
fi
want_stamp="$(stamp_of) node$node_major"
echo "$want_stamp" > "$STAMP"
log "installed in $((SECONDS - start)) s"
