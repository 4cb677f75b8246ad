#!/usr/bin/env bash
# Install Debian's chromium for the report screenshot test (tests/report/test_report_screenshot.py).
# Does nothing when a chromium is already on PATH. Needs root and apt-get; otherwise it
# explains why it cannot install and exits 1 (the screenshot test then skips with a reason).
set -euo pipefail

for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    echo "chromium already installed: $(command -v "$candidate")"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_chromium.sh: apt-get not found; install chromium with your package manager" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_chromium.sh: must run as root to apt-get install chromium" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "installed $(chromium --version 2>/dev/null || echo chromium)"
