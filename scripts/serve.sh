#!/usr/bin/env bash
# Install idcard-ocr into a virtualenv (the active one, else the repository's .venv) with the
# Debian fonts `idcard-ocr synth` needs, then run `idcard-ocr serve "$@"` in this directory.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "$0")/install.sh"

install_debian_packages "${FONT_PACKAGES[@]}"
use_virtualenv
install_project
exec idcard-ocr serve "$@"
