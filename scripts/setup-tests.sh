#!/usr/bin/env bash
# Install what the tests need, idempotently: Debian's Chromium for the browser tests
# (Playwright drives it; it never downloads a browser of its own), Debian's nginx for the
# publishing recipe's test (which runs it as its own child process on a free port), then
# the test extra.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] || ! { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "setup-tests: no /usr/bin/chromium or nginx, and no apt-get: install them yourself" \
      "(the browser and nginx tests skip without them, and fail when CI is set)" >&2
  else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    # fonts-dejavu-core: a known font, so screenshots and text metrics are the same everywhere.
    $sudo env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends chromium fonts-dejavu-core nginx
  fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
