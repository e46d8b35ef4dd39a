#!/bin/sh
# Installs Debian's Chromium for the browser tests (test/browser/), which drive it with
# playwright-core: no browser download from Playwright. Does nothing when it is already there.
# Needs root (CI runs it as root; on a workstation: sudo scripts/install-chromium.sh).
set -eu
if [ -x /usr/bin/chromium ]; then
  echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium fonts-liberation
/usr/bin/chromium --version
