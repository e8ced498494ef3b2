#!/usr/bin/env bash
# Installs what `make build` and `make test` need from Debian when it is
# missing: Python venv support, Pango (WeasyPrint's text engine), Noto fonts
# for every script we publish, gettext (msgfmt) and poppler (pdftoppm).
# With --browser (`make test`), also what the browser tests need: Chromium,
# Node.js with npm (axe-core, playwright-core, vnu-jar) and a Java runtime
# (the Nu HTML Checker).
# Safe to run again: it only installs what is not there yet.
set -euo pipefail
browser=false
[ "${1:-}" = "--browser" ] && browser=true

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
if $browser; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v java >/dev/null || need+=(default-jre-headless)
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
fi

node_ok() {   # playwright-core needs Node.js 20 or newer
  ! $browser || node -e 'process.exit(parseInt(process.versions.node) < 20 ? 1 : 0)' 2>/dev/null \
    || { echo "The browser tests need Node.js 20 or newer; node is $(node --version)." >&2
         echo "Install a newer nodejs package (Debian 13 has 20) and run make test again." >&2
         exit 1; }
}
if [ ${#need[@]} -eq 0 ]; then
  node_ok
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
if ! { $SUDO apt-get update -qq && \
       $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
  echo "Could not install ${need[*]} with apt-get (see above). Ask your administrator for:" >&2
  echo "  apt-get install ${need[*]}" >&2
  exit 1
fi
$SUDO fc-cache -f >/dev/null 2>&1 || true
node_ok
