#!/usr/bin/env bash
# Set everything up, prepare the model and the index (once), and serve the app on
# http://127.0.0.1:7860. Extra arguments go to app.py (--host, --port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
.venv/bin/python -m qa prepare
exec .venv/bin/python app.py "$@"
