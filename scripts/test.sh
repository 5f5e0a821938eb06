#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: system browser, Python packages, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -q
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -q --no-install-recommends chromium fonts-noto-cjk
fi
python3 -m pip install -q -e '.[test]'
python3 -m pytest "$@"
