#!/usr/bin/env bash
# Install what the tests need, then run the whole suite: lint, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: CJK fonts and OCR-B, for the synthetic card renderer the tests use.
packages=(fonts-noto-cjk fonts-wqy-microhei fonts-wqy-zenhei fonts-ocr-b fonts-dejavu-core fonts-noto-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
python3 -m ruff check src tests
python3 -m ruff format --check src tests
python3 -m mypy
python3 -m pytest "$@"
