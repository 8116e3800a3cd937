# shellcheck shell=bash disable=SC2034  # the package lists are used by the scripts that source this
# Sourced by serve.sh, test.sh and .ci/run: how idcard-ocr and what it needs get installed,
# written once. Debian's own python3 refuses pip installs outside a virtualenv (PEP 668).

INSTALL_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The faces `idcard-ocr synth` prints cards in (CJK heiti, bold titles, OCR-B number, and the
# scripts of bilingual cards); src/idcard_ocr/synth/fonts.py names each package's faces.
FONT_PACKAGES=(fonts-noto-cjk fonts-wqy-microhei fonts-wqy-zenhei fonts-ocr-b fonts-dejavu-core fonts-noto-core)
# The servers the tests start on loopback themselves (Debian's own services are not relied on),
# and systemd-analyze, which checks deploy/systemd/idcard-ocr.service.
SERVER_PACKAGES=(postgresql redis-server nginx systemd)

# Install those of the named Debian packages that are missing, after one `apt-get update`.
install_debian_packages() {
  local package missing=() sudo=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  if [ -z "${APT_UPDATED:-}" ]; then
    "${sudo[@]}" apt-get update -qq
    APT_UPDATED=1
  fi
  # The lock timeout lets two installs on one machine wait for each other instead of failing.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

# Make a virtualenv at $1 unless one is there; Debian's python3 needs python3-venv for it.
make_virtualenv() {
  if [ -x "$1/bin/python" ]; then return 0; fi
  python3 -c "import ensurepip" 2>/dev/null || install_debian_packages python3-venv
  python3 -m venv "$1"
}

# Put the active virtualenv ($VIRTUAL_ENV: .ci/run's fresh one, or a developer's), else the
# repository's .venv, made when missing, first on PATH.
use_virtualenv() {
  export VIRTUAL_ENV="${VIRTUAL_ENV:-$INSTALL_REPO/.venv}"
  make_virtualenv "$VIRTUAL_ENV"
  export PATH="$VIRTUAL_ENV/bin:$PATH"
}

# pip-install the repository into the virtualenv on PATH; $1, if given, names extras: "[test]".
# shellcheck disable=SC2120
install_project() {
  python -m pip install -q --disable-pip-version-check -e "$INSTALL_REPO${1:-}"
}
