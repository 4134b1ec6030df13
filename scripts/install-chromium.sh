#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser) and the DejaVu fonts the
# shipping PDFs draw Cyrillic with. Idempotent and quiet when both are there. Needs root, or sudo
# without a password.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [ -x "$CHROMIUM" ] && [ -e "$FONT" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "install-chromium: not root and no sudo; install Debian's 'chromium' package by hand." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: apt-get not found (a Debian-based system is expected)." >&2
  exit 1
fi

echo "install-chromium: installing Debian's chromium package…"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: apt-get finished but $CHROMIUM is missing." >&2
  exit 1
fi
"$CHROMIUM" --version 2>/dev/null || true
