#!/usr/bin/env bash
# Installs what `make build` and `make test` need from Debian when it is
# missing: Python venv support, Pango (WeasyPrint's text engine), Noto fonts
# for every script we publish, gettext (msgfmt) and poppler (pdftoppm).
# Safe to run again: it only installs what is not there yet.
set -euo pipefail

need=()
python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null \
  || { echo "leaflet needs Python 3.11 or newer as python3" >&2; exit 1; }
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# WeasyPrint subsets fonts with it (fast); with fontTools otherwise (slow for CJK).
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || need+=(libharfbuzz-subset0)
command -v fc-list >/dev/null || need+=(fontconfig)
fonts=$(fc-list 2>/dev/null || true)   # once, and not piped into grep -q (SIGPIPE)
fc_has() { grep -qF "$1" <<<"$fonts"; }
fc_has 'NotoSans-Regular' || need+=(fonts-noto-core)
fc_has 'Noto Naskh Arabic' || need+=(fonts-noto-core)
fc_has 'Noto Sans Devanagari' || need+=(fonts-noto-core)
fc_has 'Noto Sans CJK SC' || need+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || need+=(gettext)
command -v pdftoppm >/dev/null || need+=(poppler-utils)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
# shellcheck disable=SC2207
need=($(printf '%s\n' "${need[@]}" | sort -u))
echo "Installing system packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "Cannot install ${need[*]}: run as root, or ask your administrator for:" >&2
  echo "  apt-get install ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "No apt-get here. Install the equivalents of: ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
$SUDO fc-cache -f >/dev/null 2>&1 || true
