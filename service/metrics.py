"""Prometheus metrics of the HTTP service: requests, latencies per endpoint and per stage.

Each app gets its own ``CollectorRegistry``: the default global registry refuses a second
metric of the same name, which tests (and any process hosting two apps) would hit.
Endpoints are labelled by route template (``/v1/documents/{doc_id}``), never by the raw
path, so a client probing random URLs cannot grow the label set without bound.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Label of requests that matched no route (404s of unknown paths).
UNMATCHED = "unmatched"

# Request latency: sub-millisecond health checks up to multi-second model loads.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    10.0)
# Pipeline stages: embedding a query is ~10 ms; retrieval and composing far less.
_STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                  0.25, 0.5, 1.0)


class Metrics:
    """The metrics of one app, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "reportqa_http_requests", "HTTP requests by endpoint, method and status.",
            ["endpoint", "method", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "reportqa_http_request_duration_seconds",
            "HTTP request latency by endpoint, until the last byte of the response.",
            ["endpoint", "method"], buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.stages = Histogram(
            "reportqa_stage_duration_seconds",
            "Time per answering stage (embed, retrieve, answer) by endpoint.",
            ["endpoint", "stage"], buckets=_STAGE_BUCKETS, registry=self.registry,
        )
        self.answers = Counter(
            "reportqa_answers", "Answers by endpoint and outcome (answered, abstained).",
            ["endpoint", "outcome"], registry=self.registry,
        )
        self.ready = Gauge(
            "reportqa_ready", "1 when an index is loaded and queries are served.",
            registry=self.registry,
        )
        self.paragraphs = Gauge(
            "reportqa_index_paragraphs", "Paragraphs in the loaded index generation.",
            registry=self.registry,
        )
        self.reloads = Counter(
            "reportqa_index_reloads", "Index loads by outcome (loaded, failed).",
            ["outcome"], registry=self.registry,
        )

    def observe_answer(self, endpoint: str, timings_ms: Mapping[str, float],
                       abstained: bool | None = None) -> None:
        """Record the stage timings of one answer or search, and its outcome.

        Args:
            endpoint: Route template, e.g. ``/v1/ask``.
            timings_ms: The answerer's per-stage timings in milliseconds.
            abstained: The answer's outcome; None for a search.

        """
        for stage, milliseconds in timings_ms.items():
            self.stages.labels(endpoint, stage).observe(milliseconds / 1000)
        if abstained is not None:
            self.answers.labels(endpoint, "abstained" if abstained else "answered").inc()

    def render(self) -> tuple[bytes, str]:
        """Return the exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """ASGI middleware counting every HTTP request and timing it to its last byte.

    Args:
        app: The wrapped application.
        metrics: Where to record.

    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, recording its status and duration."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or UNMATCHED
            # A fixed label set: any other method name a client invents is "OTHER", so
            # requests cannot grow the metric series without bound.
            method = scope.get("method", "")
            if method not in _KNOWN_METHODS:
                method = "OTHER"
            self.metrics.requests.labels(endpoint, method, str(status)).inc()
            self.metrics.latency.labels(endpoint, method).observe(
                time.perf_counter() - started
            )
