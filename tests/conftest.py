"""Shared fixtures. Nothing here may reach a model hub: the machines are offline."""

from __future__ import annotations

import os

# huggingface_hub reads these once, at its first import; set them before any test does.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
