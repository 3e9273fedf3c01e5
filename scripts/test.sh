#!/usr/bin/env bash
# The whole test suite on any machine, fresh or not: installs what the tests need when it is
# missing, then runs `cargo test --all-targets --locked`. README, CONTRIBUTING and .ci/run all
# name this one command; extra arguments go to `cargo test` (e.g. `scripts/test.sh -- --nocapture`).
set -euo pipefail
cd "$(dirname "$0")/.."

# apt_install PACKAGE WHAT: Debian's PACKAGE with apt-get (as root, or through sudo), for WHAT.
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "scripts/test.sh: $1 is missing and there is no apt-get to install it; install it by hand" >&2
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null; then
      sudo="sudo"
    else
      echo "scripts/test.sh: installing $1 needs root (or sudo)" >&2
      exit 1
    fi
  fi
  echo "scripts/test.sh: installing Debian's $1 package for $2" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$1"
}

# The packet's browser tests (tests/packet_browser.rs, tests/packet_print.rs) drive headless
# Chromium: Debian's `chromium` package at /usr/bin/chromium, or the browser HANDOFF_CHROMIUM
# names. They fail, rather than skip, without it.
if [ -n "${HANDOFF_CHROMIUM:-}" ]; then
  if ! [ -x "$HANDOFF_CHROMIUM" ]; then
    echo "scripts/test.sh: HANDOFF_CHROMIUM=$HANDOFF_CHROMIUM is not an executable file" >&2
    exit 1
  fi
elif ! [ -x /usr/bin/chromium ] && ! [ -x /usr/bin/chromium-browser ]; then
  apt_install chromium "the browser tests (or set HANDOFF_CHROMIUM to a Chromium)"
fi

# The print tests (tests/packet_print.rs) read the printed PDFs with poppler-utils (`pdftotext`,
# `pdftoppm`).
if ! [ -x /usr/bin/pdftotext ] || ! [ -x /usr/bin/pdftoppm ]; then
  apt_install poppler-utils "the print tests (pdftotext, pdftoppm)"
fi

cargo --version
cargo test --all-targets --locked "$@"
