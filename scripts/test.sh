#!/usr/bin/env bash
# Set up (with test tools and Debian's Chromium), prepare the models, then run ruff and the whole
# test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=test bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium for the browser test ..."
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
# The tests run the local model too (it is one setting away from the default): prepare it.
QA_GENERATOR=transformers .venv/bin/python -m qa prepare
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
