#!/usr/bin/env bash
# Install what the tests need (Debian fonts, PostgreSQL, Redis and nginx, the test extras in a
# virtualenv: the active one, else the repository's .venv), then run the whole suite: lint,
# types, tests. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install.sh

install_debian_packages "${FONT_PACKAGES[@]}" "${SERVER_PACKAGES[@]}"
use_virtualenv
install_project "[test]"
python -m ruff check src tests
python -m ruff format --check src tests
python -m mypy
python -m pytest "$@"
