#!/usr/bin/env bash
# Build the site on a fresh Debian machine: what the PDF editions need (Pango, a CJK font), the project, then the build.
# Arguments go to `python build.py` (e.g. `bash scripts/build.sh --base-url https://example.org/review/`).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=()
command -v fc-list >/dev/null 2>&1 || packages+=(fontconfig)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family)" ]; } || packages+=(fonts-noto-cjk)
ldconfig -p | grep -q libpangoft2-1.0 || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || packages+=(libharfbuzz-subset0)
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -q
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -q --no-install-recommends "${packages[@]}"
fi
python3 -m pip install -q -e .
python3 build.py "$@"
