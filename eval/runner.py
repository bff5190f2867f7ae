"""The evaluation runner: ask every question once, record what came back, score it.

The runner knows nothing about how questions are answered: it takes an ``ask`` callable
that returns the answerer's JSON dict (``Answerer.ask(q, top_k=10).to_dict()`` in
process, or :func:`http_ask` against a running service), so both paths are scored by the
same code.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from tqdm import tqdm

from eval.dataset import EvalQuestion
from eval.metrics import DEFAULT_KS, RANK_CUTOFF, missing_keys, score_question, summarize
from index.errors import ReportQAError

#: Signature of an answerer: question text in, the answer's JSON dict out.
AskFn = Callable[[str], Mapping[str, Any]]


class EvalRunError(ReportQAError, RuntimeError):
    """Asking a question failed, or the answerer returned something that is not an answer."""


@dataclass
class QuestionRecord:
    """One evaluated question: what was asked, expected, returned, and how it scored.

    Attributes:
        id: Question id from the dataset.
        question: Question text.
        lang: Language code.
        relevant: Expected paragraph ids.
        answerable: Whether the corpus answers the question.
        answer_contains: Strings a correct answer contains.
        retrieved: Retrieved paragraph ids (``hits``) in rank order.
        cited: Cited paragraph ids in answer order; empty when the answerer abstained.
        answer: The answer text.
        abstained: Whether the answerer abstained.
        reason: The answerer's reason for abstaining, if any.
        latency_ms: Wall time of the ``ask`` call in milliseconds.
        missing_keys: The ``answer_contains`` strings the answer lacks.
        metrics: Per-question scores from :func:`eval.metrics.score_question`
            (``recall@k``, ``hit@k``, ``mrr@10``, ``ndcg@10``, ``answer_coverage``,
            ``citation_precision``, ``citation_recall``, ``first_citation_correct``).
        extra: Extra dataset fields, kept as given.

    """

    id: str
    question: str
    lang: str
    relevant: list[str]
    answerable: bool
    answer_contains: list[str]
    retrieved: list[str]
    cited: list[str]
    answer: str
    abstained: bool
    reason: str | None
    latency_ms: float | None
    missing_keys: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict (the shape saved under ``"questions"``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuestionRecord:
        """Rebuild a record from :meth:`to_dict` output, e.g. a saved result file."""
        names = cls.__dataclass_fields__
        return cls(**{name: value for name, value in data.items() if name in names})


def _ids(items: Any, what: str) -> list[str]:
    """Paragraph ids from a list of ``{"id": ...}`` dicts, or raise saying what is wrong."""
    if not isinstance(items, list):
        raise ValueError(f"{what!r} must be a list, got {type(items).__name__}")
    ids: list[str] = []
    for position, item in enumerate(items):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise ValueError(f"{what}[{position}] has no string 'id'")
        ids.append(item["id"])
    return ids


def record_answer(
    question: EvalQuestion,
    response: Mapping[str, Any],
    latency_ms: float | None,
    ks: Sequence[int] = DEFAULT_KS,
) -> QuestionRecord:
    """Score one answer to one question.

    Args:
        question: The dataset question.
        response: The answerer's JSON dict (``answer``, ``abstained``, ``citations``,
            ``hits``, optional ``reason``).
        latency_ms: Measured wall time of the call.
        ks: Recall@k and Hit@k cutoffs.

    Returns:
        The scored record.

    Raises:
        ValueError: If ``response`` lacks a field or has one of the wrong type.

    """
    if not isinstance(response, Mapping):
        raise ValueError(f"expected a JSON object, got {type(response).__name__}")
    for name in ("abstained", "citations", "hits"):
        if name not in response:
            raise ValueError(f"the answer has no {name!r} field")
    abstained = response["abstained"]
    if not isinstance(abstained, bool):
        raise ValueError(f"'abstained' must be a boolean, got {type(abstained).__name__}")
    answer = response.get("answer") or ""
    if not isinstance(answer, str):
        raise ValueError(f"'answer' must be a string, got {type(answer).__name__}")
    retrieved = _ids(response["hits"], "hits")
    # An abstention gives the user no answer, so nothing it carries counts as cited.
    cited = [] if abstained else _ids(response["citations"], "citations")
    reason = response.get("reason")
    return QuestionRecord(
        id=question.id,
        question=question.question,
        lang=question.lang,
        relevant=list(question.relevant),
        answerable=question.answerable,
        answer_contains=list(question.answer_contains),
        retrieved=retrieved,
        cited=cited,
        answer=answer,
        abstained=abstained,
        reason=reason if isinstance(reason, str) else None,
        latency_ms=latency_ms,
        missing_keys=missing_keys(answer, question.answer_contains) if question.answerable else [],
        metrics=score_question(
            retrieved=retrieved,
            relevant=question.relevant,
            cited=cited,
            answer=answer,
            answer_contains=question.answer_contains,
            answerable=question.answerable,
            ks=ks,
        ),
        extra=dict(question.extra),
    )


def run_eval(
    questions: Sequence[EvalQuestion],
    ask: AskFn,
    ks: Sequence[int] = DEFAULT_KS,
    progress: bool = True,
) -> dict[str, Any]:
    """Ask every question once, in order, and score the answers.

    Args:
        questions: The dataset, e.g. from :func:`eval.dataset.load_dataset`.
        ask: Returns the answerer's JSON dict for a question. It should return at least
            ``max(10, max(ks))`` hits, or the deeper cutoffs cannot be measured.
        ks: Recall@k and Hit@k cutoffs.
        progress: Show a progress bar on stderr (only when stderr is a terminal).

    Returns:
        ``{"ks": [...], "overall": {...}, "by_lang": {lang: {...}}, "questions": [...]}``
        with metrics from :func:`eval.metrics.summarize` and one
        :meth:`QuestionRecord.to_dict` per question. The dict is JSON-serialisable.

    Raises:
        ValueError: If ``ks`` is empty or has a cutoff below 1.
        EvalRunError: If ``ask`` raises or returns a malformed answer; the message names
            the question.

    """
    ks = tuple(ks)
    if not ks or any(k < 1 for k in ks):
        # Checked up front: failing on the first answer would blame the answerer.
        raise ValueError(f"cutoffs must be positive integers, got {list(ks)}")
    records: list[QuestionRecord] = []
    bar = tqdm(
        questions,
        desc="eval",
        unit="q",
        file=sys.stderr,
        disable=not progress or not sys.stderr.isatty(),
    )
    for question in bar:
        started = time.perf_counter()
        try:
            response = ask(question.question)
        except EvalRunError as exc:
            raise EvalRunError(f"question {question.id!r}: {exc}") from exc
        except Exception as exc:
            raise EvalRunError(
                f"question {question.id!r}: the answerer failed: {type(exc).__name__}: {exc}"
            ) from exc
        latency_ms = (time.perf_counter() - started) * 1000.0
        try:
            records.append(record_answer(question, response, latency_ms, ks))
        except ValueError as exc:
            raise EvalRunError(f"question {question.id!r}: malformed answer: {exc}") from exc
    return {
        "ks": list(ks),
        **summarize(records, ks),
        "questions": [record.to_dict() for record in records],
    }


class HttpAsk:
    """An ``ask`` callable that posts questions to a running service's ``/v1/ask``.

    Reuses one connection for the whole run; use it as a context manager (or call
    :meth:`close`) to release it.
    """

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        top_k: int = RANK_CUTOFF,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoint = url.rstrip("/") + "/v1/ask"
        self.top_k = top_k
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(headers=headers, timeout=timeout, transport=transport)

    def __call__(self, question: str) -> dict[str, Any]:
        """Ask one question and return the service's JSON answer.

        Raises:
            EvalRunError: If the service cannot be reached, answers with a non-2xx status
                (the message shows status and body), or returns something other than a
                JSON object.

        """
        try:
            response = self._client.post(
                self.endpoint, json={"question": question, "top_k": self.top_k}
            )
        except httpx.HTTPError as exc:
            raise EvalRunError(f"cannot reach {self.endpoint}: {exc}") from exc
        if not response.is_success:
            body = response.text.strip()
            if len(body) > 500:
                body = body[:500] + "…"
            raise EvalRunError(
                f"POST {self.endpoint} returned HTTP {response.status_code}: {body or '(empty)'}"
            )
        try:
            payload = response.json()
        except ValueError as exc:
            raise EvalRunError(f"POST {self.endpoint} returned a body that is not JSON") from exc
        if not isinstance(payload, dict):
            raise EvalRunError(f"POST {self.endpoint} returned JSON that is not an object")
        return payload

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def __enter__(self) -> HttpAsk:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def http_ask(
    url: str,
    api_key: str | None = None,
    top_k: int = RANK_CUTOFF,
    timeout: float = 60.0,
    transport: httpx.BaseTransport | None = None,
) -> HttpAsk:
    """Make an ``ask`` callable for a running reportqa service.

    Args:
        url: Base URL such as ``http://127.0.0.1:8000``.
        api_key: Sent as ``Authorization: Bearer KEY`` when given.
        top_k: Hits to request per question; at least ``max(10, max(ks))``.
        timeout: Seconds to wait for each answer.
        transport: httpx transport override, for tests.

    Returns:
        A callable ``ask(question) -> dict``, also a context manager that closes the
        connection.

    """
    return HttpAsk(url, api_key=api_key, top_k=top_k, timeout=timeout, transport=transport)
