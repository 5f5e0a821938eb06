#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: system packages, the HTML checker, Python packages, then
# ruff, mypy and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v fc-list >/dev/null 2>&1 || packages+=(fontconfig)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family)" ]; } || packages+=(fonts-noto-cjk)
# WeasyPrint (the PDF editions) lays out text with Pango and subsets fonts with HarfBuzz
ldconfig -p | grep -q libpangoft2-1.0 || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || packages+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)  # pdftotext and pdffonts read the PDFs back
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)  # runs the W3C Nu HTML Checker
command -v msgfmt >/dev/null 2>&1 || packages+=(gettext)  # msgfmt -c, msgcat, msgmerge read the PO exports
[ -f /usr/share/omegat/OmegaT.jar ] || packages+=(omegat)  # OmegaT 3.6, console mode, reads the PO/TMX/TBX exports
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -q
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -q --no-install-recommends "${packages[@]}"
fi
# The W3C Nu HTML Checker, offline, into the project's own node_modules/ (gitignored)
[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm install --no-save --no-audit --no-fund vnu-jar
python3 -m pip install -q -e '.[test]'
# lint, formatting and types first (configured in pyproject.toml): any problem fails the run
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
python3 -m pytest "$@"
