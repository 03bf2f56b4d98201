#!/usr/bin/env bash
# Create .venv and install the project (torch's CPU build first). Idempotent: a second run
# with an unchanged pyproject.toml skips the install. EXTRAS=test adds the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${EXTRAS:-}"
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${extras:-base}"
mkdir -p .cache
if [ -f "$stamp" ]; then
    exit 0
fi
if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
fi
log=.cache/setup.log
echo "setting up .venv (log: $log) ..."
# torch alone first: 2.13.0 is the CPU build; anything looser pulls CUDA packages.
if ! .venv/bin/pip install --disable-pip-version-check torch==2.13.0 >"$log" 2>&1 \
    || ! .venv/bin/pip install --disable-pip-version-check -e ".${extras:+[$extras]}" >>"$log" 2>&1; then
    grep -v "is ignored: it is neither a file nor a directory" "$log" | tail -n 30
    echo "setup failed; full log in $log" >&2
    exit 1
fi
rm -f .venv/.installed-*
touch "$stamp"
echo "setup done"
