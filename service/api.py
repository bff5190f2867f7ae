"""The HTTP API: question answering, search, documents, OpenAI-compatible chat, health.

``create_app`` builds the app. Its lifespan loads the index and the embedding model once
and keeps the answerer on ``app.state``; every request shares it. A background task then
watches the index's ``CURRENT`` file: when a re-ingest publishes a new generation, the
new index is loaded completely in a worker thread and only then swapped in, so requests
in flight finish on the answerer they started with and none fails during the swap.

Routes are thin: a request schema in, one answerer call, a response schema out. Errors
are mapped to HTTP in :mod:`service.errors`, with one JSON body for all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.errors import IndexNotFoundError, InvalidInputError, ReportQAError
from index.store import read_current
from service import chat
from service.answerer import Answerer, hit_to_dict, open_answerer
from service.errors import (
    ERROR_TYPES,
    FieldError,
    ServiceNotReadyError,
    error_response,
    install_error_handlers,
)
from service.metrics import Metrics, MetricsMiddleware
from service.schemas import (
    AskRequest,
    AskResponse,
    ChatCompletionRequest,
    ChatCompletionResponse,
    DocumentListResponse,
    DocumentResponse,
    ErrorResponse,
    HealthResponse,
    ModelCard,
    ModelListResponse,
    ParagraphResponse,
    ReadinessResponse,
    ReloadResponse,
    SearchRequest,
    SearchResponse,
)
from service.settings import Settings, get_settings
from service.web import mount_web

logger = logging.getLogger("reportqa.api")

# The time /v1/models reports as the model's creation; fixed so the list is stable.
_MODEL_CREATED = 1_700_000_000


# --------------------------------------------------------------------------- index state


class ServiceState:
    """The loaded answerer and the machinery that replaces it after a re-ingest.

    Args:
        settings: Where the index is, which embedder, the answerer's limits.
        metrics: Where load outcomes and readiness are recorded.

    """

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.answerer: Answerer | None = None
        self.not_ready_reason = "the index is being loaded"
        self._lock = asyncio.Lock()
        self._failed_generation: str | None = None
        # Why CURRENT itself could not be read, the last time: logged once, not at
        # every poll.
        self._failed_current: str | None = None

    @property
    def generation(self) -> str | None:
        """The loaded index generation, or None."""
        return None if self.answerer is None else self.answerer.index.generation

    def require_answerer(self) -> Answerer:
        """Return the current answerer.

        Raises:
            ServiceNotReadyError: No index is loaded; the message says why.

        """
        answerer = self.answerer
        if answerer is None:
            raise ServiceNotReadyError(f"not ready: {self.not_ready_reason}")
        return answerer

    async def refresh(self, *, force: bool = False) -> bool:
        """Load the live generation if it is not the one being served.

        Args:
            force: Retry a generation that failed to load before, and raise load errors
                instead of only logging them (for the reload endpoint).

        Returns:
            True when a new answerer was swapped in.

        Raises:
            ReportQAError: With ``force``, why the index could not be loaded.

        """
        async with self._lock:
            live: str | None = None
            try:
                live = read_current(self.settings.index_dir)
                if live == self.generation:
                    return False
                if live == self._failed_generation and not force:
                    return False
                answerer = await run_in_threadpool(self._load)
            except ReportQAError as error:
                if live is None and str(error) == self._failed_current and not force:
                    return False
                self._failed_current = str(error) if live is None else None
                self._record_failure(error, live)
                if force:
                    raise
                return False
            except Exception as error:  # a broken index must not stop the watch
                logger.exception("loading the index at %s failed", self.settings.index_dir)
                self._record_failure(error, live)
                if force:
                    raise ServiceNotReadyError(
                        f"the index at {self.settings.index_dir} could not be loaded "
                        f"({type(error).__name__}: {error}); the server log has details"
                    ) from error
                return False
            previous = self.generation
            self.answerer = answerer  # one reference swap: requests hold their own
            self._failed_generation = None
            self._failed_current = None
            self.metrics.ready.set(1)
            self.metrics.paragraphs.set(len(answerer.index))
            self.metrics.reloads.labels("loaded").inc()
            logger.info("serving index generation %s (was %s): %d documents, %d paragraphs",
                        answerer.index.generation, previous,
                        len(answerer.index.documents), len(answerer.index))
            return True

    def _record_failure(self, error: Exception, generation: str | None) -> None:
        if isinstance(error, IndexNotFoundError):
            if self.answerer is None:
                self.not_ready_reason = str(error)
            return
        # The generation that failed, not whatever CURRENT names by now: a newer one
        # published meanwhile must still be tried.
        self._failed_generation = generation
        self.metrics.reloads.labels("failed").inc()
        if self.answerer is None:
            self.not_ready_reason = str(error)
        logger.error("index at %s not loaded%s: %s", self.settings.index_dir,
                     "; still serving " + str(self.generation) if self.answerer else "",
                     error)

    def _load(self) -> Answerer:
        """Load the live index and warm its model up (runs in a worker thread)."""
        previous = self.answerer
        # Reuse the loaded model across reloads: open_answerer rebuilds it only when the
        # index was built with another embedder.
        try:
            return open_answerer(self.settings.index_dir, self.settings,
                                 embedder=previous.embedder if previous else None)
        except InvalidInputError as error:
            # A bad REPORTQA_EMBEDDER is the server's configuration, not the client's
            # input: the service is not ready (503), it did not get a bad request (422).
            raise ServiceNotReadyError(f"REPORTQA_EMBEDDER is unusable: {error}") from error

    async def watch(self) -> None:
        """Check for a new index generation every ``reload_interval`` seconds, forever."""
        while True:
            await asyncio.sleep(self.settings.reload_interval)
            try:
                await self.refresh()
            except Exception:  # never let the watch die
                logger.exception("index watch failed; retrying")


# --------------------------------------------------------------------------- middleware


# Largest total size of a request's headers; larger ones get 431 before routing. `serve`
# lets uvicorn read heads up to 4x this, so the refusal is this JSON error body; past
# that uvicorn itself answers a plain-text 400 and closes the connection.
MAX_HEADER_BYTES = 16 * 1024


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, before anything parses them.

    A declared ``Content-Length`` over the limit is refused at once; a chunked body is
    read up to the limit and refused as soon as it passes it. Headers over
    ``MAX_HEADER_BYTES`` in all are refused with 431, and a ``Content-Length`` that is
    not a number with 400.

    Args:
        app: The wrapped application.
        max_bytes: The largest body accepted.

    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 413 when its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header_bytes = sum(len(name) + len(value) for name, value in scope["headers"])
        if header_bytes > MAX_HEADER_BYTES:
            await error_response(
                431, f"the request headers are {header_bytes} bytes, over the limit of "
                f"{MAX_HEADER_BYTES}; send smaller headers",
            )(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(
                    400, f"the Content-Length header {declared[:40]!r} is not a number",
                )(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if "chunked" not in headers.get("transfer-encoding", "").lower():
            await self.app(scope, receive, send)
            return
        # Chunked: buffer the body (at most max_bytes) and replay it to the app.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413, f"the request body is larger than {self.max_bytes} bytes "
            f"(REPORTQA_MAX_BODY_BYTES); send a smaller request",
        )
        await response(scope, receive, send)


class JSONErrorCORSMiddleware(CORSMiddleware):
    """CORS whose refused preflight answers with the service's JSON error body."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """Return Starlette's preflight response, with a refusal in the JSON error body."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        headers = {name: value for name, value in response.headers.items()
                   if name.lower() not in ("content-length", "content-type")}
        reason = bytes(response.body).decode("utf-8", "replace")
        return error_response(
            response.status_code,
            f"{reason}: origin {request_headers.get('origin')!r} is not among "
            f"REPORTQA_CORS_ORIGINS, or the method or headers are not allowed",
            error_type="cors_refused", headers=headers,
        )


# --------------------------------------------------------------------------- dependencies


class RateLimiter:
    """A token bucket per client: ``per_minute`` requests a minute, bursts up to that.

    Args:
        per_minute: Requests allowed per minute and client; 0 disables the limit.

    """

    # Buckets kept before idle ones are dropped (a full bucket is the same as none).
    MAX_CLIENTS = 10_000

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, client: str) -> float | None:
        """Take one request from the client's bucket.

        Returns:
            None when allowed, else the seconds until the next request would be.

        """
        if self.per_minute <= 0:
            return None
        now = time.monotonic()
        rate = self.per_minute / 60
        tokens, updated = self._buckets.get(client, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - updated) * rate)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / rate
        if len(self._buckets) >= self.MAX_CLIENTS and client not in self._buckets:
            self._buckets = {k: v for k, v in self._buckets.items()
                             if v[0] + (now - v[1]) * rate < self.per_minute}
        self._buckets[client] = (tokens - 1, now)
        return None


_bearer = HTTPBearer(auto_error=False, description="One of REPORTQA_API_KEYS, when set.")


def _state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


def _answerer(state: Annotated[ServiceState, Depends(_state)]) -> Answerer:
    return state.require_answerer()


StateDep = Annotated[ServiceState, Depends(_state)]
SettingsDep = Annotated[Settings, Depends(_settings)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
AnswererDep = Annotated[Answerer, Depends(_answerer)]


async def require_api_key(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse the request (401) unless it carries one of the configured API keys.

    Every configured key is compared, in constant time, so the time taken says nothing
    about which key or how much of it matched. Keys are never logged.
    """
    if not settings.api_keys:
        return
    token = credentials.credentials.encode() if credentials else b""
    matched = False
    for key in settings.api_keys:
        matched |= hmac.compare_digest(token, key.encode())
    if not matched:
        # Failed attempts count against the client's address, so keys cannot be guessed
        # at an unlimited rate.
        _check_rate(request, f"addr:{request.client.host if request.client else '?'}",
                    what="requests without a valid API key from this address")
        message = ("this endpoint needs an API key: send 'Authorization: Bearer <key>'"
                   if credentials is None else "the API key is not valid")
        raise StarletteHTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


async def enforce_rate_limit(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse the request (429) when its client has used up its requests per minute."""
    settings: Settings = request.app.state.settings
    # Per key when keys are configured (this runs after require_api_key, so the key is a
    # valid one; many users may share a proxy's address); otherwise per address, since
    # an unchecked bearer token could be changed on every request to dodge the limit.
    client = (f"key:{hashlib.sha256(credentials.credentials.encode()).hexdigest()}"
              if credentials and settings.api_keys
              else f"addr:{request.client.host if request.client else '?'}")
    _check_rate(request, client)


def _check_rate(request: Request, client: str, what: str = "requests") -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    if limiter.per_minute <= 0:
        return
    wait = limiter.retry_after(client)
    if wait is not None:
        raise StarletteHTTPException(
            429, f"too many {what}: the limit is {limiter.per_minute} a minute "
            f"(REPORTQA_RATE_LIMIT_PER_MINUTE); retry in {wait:.0f} s",
            headers={"Retry-After": str(max(1, round(wait)))},
        )


def _top_k(requested: int | None, settings: Settings) -> int:
    top_k = settings.top_k if requested is None else requested
    if top_k > settings.max_top_k:
        raise FieldError("body.top_k", f"top_k must be from 1 to {settings.max_top_k} "
                         f"(REPORTQA_MAX_TOP_K), got {top_k}")
    return top_k


def _checked_text(answerer: Answerer, text: str, field: str, what: str) -> str:
    try:
        return answerer.validate_question(text, what=what)
    except ReportQAError as error:
        raise FieldError(field, str(error)) from error


# --------------------------------------------------------------------------- routes

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": ERROR_TYPES[status]}
    for status in (401, 404, 413, 422, 429, 503)
}

health = APIRouter(tags=["health"])
api = APIRouter(
    dependencies=[Depends(require_api_key), Depends(enforce_rate_limit)],
    responses=_ERRORS,
)


@health.get("/healthz", response_model=HealthResponse)
async def healthz() -> HealthResponse:
    """Answer 200 while the process is alive (no key needed)."""
    return HealthResponse()


@health.get("/readyz", response_model=ReadinessResponse,
            responses={503: {"model": ErrorResponse, "description": "not ready, and why"}})
async def readyz(state: StateDep) -> ReadinessResponse:
    """Answer 200 once the index is loaded and queries are served; 503 with why until then."""
    answerer = state.require_answerer()
    return ReadinessResponse(generation=answerer.index.generation, embedder=answerer.index.spec,
                             bridge=answerer.index.bridge_spec,
                             documents=len(answerer.index.documents),
                             paragraphs=len(answerer.index))


@api.get("/metrics", tags=["health"], response_class=Response,
         responses={200: {"content": {"text/plain": {}}}})
async def metrics_text(metrics: MetricsDep) -> Response:
    """Prometheus metrics: requests, latency per endpoint, time per answering stage."""
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


@api.post("/v1/ask", response_model=AskResponse, tags=["answers"])
def ask(body: AskRequest, answerer: AnswererDep, settings: SettingsDep,
        metrics: MetricsDep) -> dict[str, Any]:
    """Answer a question with quoted, cited sentences of the reports, or abstain."""
    question = _checked_text(answerer, body.question, "body.question", "question")
    answer = answerer.ask(question, top_k=_top_k(body.top_k, settings),
                          filters=body.filters.to_domain() if body.filters else None)
    metrics.observe_answer("/v1/ask", answer.timings_ms, answer.abstained)
    return answer.to_dict()


@api.post("/v1/search", response_model=SearchResponse, tags=["answers"])
def search(body: SearchRequest, answerer: AnswererDep, settings: SettingsDep,
           metrics: MetricsDep) -> dict[str, Any]:
    """Rank the paragraphs that match a query (hybrid dense + BM25), with their scores."""
    query = _checked_text(answerer, body.query, "body.query", "query")
    hits, timings = answerer.search(query, top_k=_top_k(body.top_k, settings),
                                    filters=body.filters.to_domain() if body.filters else None)
    metrics.observe_answer("/v1/search", timings)
    return {"query": query, "hits": [hit_to_dict(hit) for hit in hits], "timings_ms": timings}


@api.get("/v1/documents", response_model=DocumentListResponse, tags=["documents"])
def list_documents(answerer: AnswererDep) -> dict[str, Any]:
    """List the documents in the index."""
    index = answerer.index
    return {"generation": index.generation, "embedder": index.spec,
            "bridge": index.bridge_spec,
            "documents": [_document_dict(info) for info in index.documents.values()]}


def _document_dict(info: Any) -> dict[str, Any]:
    """A document's manifest entry, with its source file named but not where it lies:
    the server's directories are no client's business.
    """
    out = info.to_dict()
    source = out["metadata"].get("source")
    if isinstance(source, str):
        out["metadata"] = {**out["metadata"], "source": PurePath(source).name}
    return out


def _paragraph_dict(paragraph: Any) -> dict[str, Any]:
    return {"id": paragraph.citation_id, "doc_id": paragraph.doc_id,
            "number": paragraph.number, "section": list(paragraph.section),
            "text": paragraph.text, "page": paragraph.page}


@api.get("/v1/documents/{doc_id}", response_model=DocumentResponse, tags=["documents"])
def get_document(doc_id: str, answerer: AnswererDep) -> dict[str, Any]:
    """One document and all its paragraphs; 404 when the index does not hold it."""
    index = answerer.index
    info = index.document(doc_id)
    return {**_document_dict(info),
            "paragraphs": [_paragraph_dict(p) for p in index.paragraphs_of(doc_id)]}


@api.get("/v1/documents/{doc_id}/paragraphs/{number}", response_model=ParagraphResponse,
         tags=["documents"])
def get_paragraph(doc_id: str, number: int, answerer: AnswererDep) -> dict[str, Any]:
    """One paragraph, by its number as printed in the report; 404 when there is none."""
    return _paragraph_dict(answerer.index.paragraph(doc_id, number))


@api.get("/v1/models", response_model=ModelListResponse, tags=["openai"])
async def list_models(settings: SettingsDep) -> ModelListResponse:
    """List the models, OpenAI-style: the one model this service is."""
    return ModelListResponse(data=[ModelCard(id=settings.model_name, created=_MODEL_CREATED)])


@api.get("/v1/models/{model_id}", response_model=ModelCard, tags=["openai"])
async def get_model(model_id: str, settings: SettingsDep) -> ModelCard:
    """Describe the model, OpenAI-style; 404 for any id but REPORTQA_MODEL_NAME."""
    if model_id != settings.model_name:
        raise StarletteHTTPException(
            404, f"no model {model_id!r}; this service is the model {settings.model_name!r}"
        )
    return ModelCard(id=settings.model_name, created=_MODEL_CREATED)


@api.post(
    "/v1/chat/completions", response_model=ChatCompletionResponse, tags=["openai"],
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "A completion, or its server-sent events with stream"}},
)
def chat_completions(body: ChatCompletionRequest, answerer: AnswererDep,
                     settings: SettingsDep, metrics: MetricsDep) -> Any:
    """OpenAI-compatible chat: the answer with its citation markers, cited or abstaining.

    A follow-up question is answered in the context of the earlier user turns. The
    structured citations come in an extra ``citations`` field (on the final chunk when
    streaming).
    """
    question = chat.retrieval_question(body.messages, answerer)
    answer = answerer.ask(question, top_k=settings.top_k,
                          filters=body.filters.to_domain() if body.filters else None)
    metrics.observe_answer("/v1/chat/completions", answer.timings_ms, answer.abstained)
    if body.stream:
        include_usage = bool(body.stream_options and body.stream_options.include_usage)
        return StreamingResponse(
            chat.stream_events(answer, body.messages, settings.model_name, include_usage),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return chat.completion(answer, body.messages, settings.model_name)


@api.post("/v1/admin/reload", response_model=ReloadResponse, tags=["admin"])
async def reload_index(state: StateDep) -> ReloadResponse:
    """Load the index generation that is live on disk now, if it is not the one served.

    Not needed after a re-ingest when the watch is on (REPORTQA_RELOAD_INTERVAL > 0).
    """
    previous = state.generation
    reloaded = await state.refresh(force=True)
    answerer = state.require_answerer()
    return ReloadResponse(reloaded=reloaded, generation=answerer.index.generation,
                          previous_generation=previous)


# --------------------------------------------------------------------------- app


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service.

    Args:
        settings: The settings; by default :func:`service.settings.get_settings`.

    Returns:
        The FastAPI app. Its lifespan loads the index (if there is one yet) and watches
        for re-ingests.

    """
    settings = settings or get_settings()
    metrics = Metrics()
    state = ServiceState(settings, metrics)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await state.refresh()
        watch = (asyncio.create_task(state.watch(), name="reportqa-index-watch")
                 if settings.reload_interval > 0 else None)
        try:
            yield
        finally:
            if watch is not None:
                watch.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch

    app = FastAPI(
        title="reportqa",
        summary="Questions answered from UN reports, each sentence quoted and cited.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.service = state
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    install_error_handlers(app)
    app.include_router(health)
    app.include_router(api)
    # Last added runs first: metrics see every response, CORS headers reach the error
    # responses of the body limit, and the body limit runs before any parsing.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        JSONErrorCORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    mount_web(app)
    return app
