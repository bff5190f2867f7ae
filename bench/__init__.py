"""Benchmarks of reportqa: ingest, index build, start-up, memory, query latency, QPS.

Scripts, not an installed package: run ``.venv/bin/python -m bench.run`` from the checkout
(or ``make bench``). See ``bench/run.py`` for the options.
"""
