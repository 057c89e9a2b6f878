#!/usr/bin/env bash
# One-command set-up for a fresh machine, safe to run again: system browser and CJK fonts where
# missing, npm dependencies, the TypeScript build, and (unless --no-deck) the default executive deck.
set -euo pipefail
cd "$(dirname "$0")/.."

build_deck=1
for arg in "$@"; do
  case "$arg" in
    --no-deck) build_deck=0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*" >&2; }

have_browser() {
  [ -n "${BRIEFGEN_CHROME_PATH:-}" ] && [ -x "${BRIEFGEN_CHROME_PATH}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  [ -x "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" ] && return 0
  return 1
}
have_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -1)" ]; }
# The theme sets English in Noto Sans (TrueType: embedded as real fonts in PDFs), Chinese in Noto Sans CJK.
have_latin_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 'Noto Sans:style=Regular' family 2>/dev/null | head -1)" ]; }
have_poppler() { command -v pdfinfo >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; }
# LibreOffice Impress is the test suite's oracle for the PPTX (it renders them to compare with the
# PNGs); briefgen itself never runs it.
have_impress() { command -v soffice >/dev/null 2>&1 && [ -n "$(ls /usr/lib/libreoffice/program/libsdlo.so 2>/dev/null)" ]; }

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else return 1; fi
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  say "installing $* with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
have_browser || missing+=(chromium)
have_cjk_font || missing+=(fonts-noto-cjk)
have_latin_font || missing+=(fonts-noto-core)
have_poppler || missing+=(poppler-utils)
have_impress || missing+=(libreoffice-impress)
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}" || say "could not install ${missing[*]} with apt-get; continuing"
fi

# npm ci is idempotent but slow: skip it when node_modules was installed from this very lock file.
lock_hash=$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('npm-shrinkwrap.json')).digest('hex'))")
if [ "$(cat node_modules/.briefgen-lock 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm dependencies"
  npm ci --prefer-offline --no-audit --no-fund
  echo "$lock_hash" > node_modules/.briefgen-lock
fi

if ! have_browser; then
  # No system browser and no apt: download chrome-headless-shell into Puppeteer's cache folder,
  # where briefgen looks last (needs internet, once).
  say "no system Chromium found: downloading chrome-headless-shell"
  npx --no-install @puppeteer/browsers install chrome-headless-shell@stable --path "${PUPPETEER_CACHE_DIR:-$HOME/.cache/puppeteer}"
fi

say "compiling TypeScript"
npm run --silent build

if [ "$build_deck" -eq 1 ]; then
  say "building the default executive deck"
  node bin/briefgen.js --audience exec
fi
