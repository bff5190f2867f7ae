"""Pure metric functions for evaluating retrieval, citations, answers and abstention.

Every function here takes plain sequences and returns a number or ``None``. ``None``
means "not measurable for this input" (an empty denominator): it is never ``0`` and
never NaN, so a missing measurement cannot be mistaken for a bad one, and means skip it.

Conventions:
    * Retrieved and cited ids are deduplicated keeping the first occurrence, so an
      answerer that repeats a paragraph earns neither extra recall nor extra rank.
    * Relevance is binary: a paragraph id is relevant or it is not.
    * Citation precision is macro-averaged: computed per question, then averaged over
      answerable questions that cited something. Each question weighs the same,
      however many paragraphs it cited, so one verbose answer cannot dominate.
    * Percentiles use the nearest-rank method, so a reported latency is always one
      that was actually measured ("95% of questions took at most this long").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

#: Rank cutoff of the rank-sensitive metrics, fixed so runs with different ``--k`` lists
#: still report comparable MRR and nDCG.
RANK_CUTOFF = 10

#: Recall@k cutoffs used when none are given.
DEFAULT_KS: tuple[int, ...] = (1, 3, 5, 10)

#: Metrics where a lower value is better; every other ratio metric is higher-is-better.
LOWER_IS_BETTER = frozenset({"wrong_abstention_rate", "latency_p50_ms", "latency_p95_ms"})

#: Metrics that are plain counts of questions, not ratios.
COUNT_METRICS = ("questions", "answerable", "unanswerable")

_WHITESPACE = re.compile(r"\s+")


class ScoredQuestion(Protocol):
    """What :func:`aggregate` needs to know about one evaluated question.

    ``eval.runner.QuestionRecord`` satisfies it; tests may pass any object with these
    attributes. The members are read-only properties so that a record holding ``list``
    fields satisfies the ``Sequence`` ones.
    """

    @property
    def lang(self) -> str:
        """Language code of the question."""

    @property
    def answerable(self) -> bool:
        """Whether the corpus answers the question."""

    @property
    def relevant(self) -> Sequence[str]:
        """Relevant paragraph ids."""

    @property
    def answer_contains(self) -> Sequence[str]:
        """Strings a correct answer contains."""

    @property
    def retrieved(self) -> Sequence[str]:
        """Retrieved paragraph ids in rank order."""

    @property
    def cited(self) -> Sequence[str]:
        """Cited paragraph ids in answer order."""

    @property
    def answer(self) -> str:
        """The answer text."""

    @property
    def abstained(self) -> bool:
        """Whether the answerer abstained."""

    @property
    def latency_ms(self) -> float | None:
        """Measured wall time in milliseconds, None when not measured."""


def parse_ks(text: str) -> tuple[int, ...]:
    """Parse a comma-separated list of Recall@k cutoffs such as ``"1,3,5,10"``.

    Args:
        text: Positive integers separated by commas; spaces are ignored.

    Returns:
        The distinct cutoffs in ascending order.

    Raises:
        ValueError: If the list is empty or an item is not a positive integer.

    """
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise ValueError(f"no cutoffs in {text!r}; expected positive integers like 1,3,5,10")
    ks: set[int] = set()
    for item in items:
        # str.isdigit() also accepts superscripts such as '²', which int() rejects.
        if not (item.isascii() and item.isdigit()) or int(item) < 1:
            raise ValueError(
                f"bad cutoff {item!r} in {text!r}; expected positive integers like 1,3,5,10"
            )
        ks.add(int(item))
    return tuple(sorted(ks))


def dedupe(ids: Iterable[str]) -> list[str]:
    """Return ``ids`` without repeats, keeping the first occurrence of each."""
    return list(dict.fromkeys(ids))


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be a positive integer, got {k}")


def recall_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float | None:
    """Share of the relevant paragraphs found among the first ``k`` retrieved.

    Args:
        retrieved: Paragraph ids in rank order (best first); repeats count once.
        relevant: The relevant paragraph ids.
        k: Rank cutoff (positive); a list shorter than ``k`` is used whole.

    Returns:
        A value in [0, 1], or None when there are no relevant paragraphs.

    """
    _check_k(k)
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    found = relevant_set.intersection(dedupe(retrieved)[:k])
    return len(found) / len(relevant_set)


def hit_at_k(retrieved: Sequence[str], relevant: Iterable[str], k: int) -> float | None:
    """1.0 if any relevant paragraph is among the first ``k`` retrieved, else 0.0.

    Args:
        retrieved: Paragraph ids in rank order (best first); repeats count once.
        relevant: The relevant paragraph ids.
        k: Rank cutoff (positive).

    Returns:
        1.0 or 0.0, or None when there are no relevant paragraphs.

    """
    _check_k(k)
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    return 1.0 if relevant_set.intersection(dedupe(retrieved)[:k]) else 0.0


def reciprocal_rank(
    retrieved: Sequence[str], relevant: Iterable[str], k: int = RANK_CUTOFF
) -> float | None:
    """1 / rank of the first relevant paragraph within the first ``k``, else 0.0.

    Args:
        retrieved: Paragraph ids in rank order (best first); repeats count once, so a
            repeated irrelevant id does not push the relevant one down.
        relevant: The relevant paragraph ids.
        k: Rank cutoff (positive).

    Returns:
        A value in [0, 1], or None when there are no relevant paragraphs.

    """
    _check_k(k)
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    for rank, paragraph_id in enumerate(dedupe(retrieved)[:k], start=1):
        if paragraph_id in relevant_set:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(
    retrieved: Sequence[str], relevant: Iterable[str], k: int = RANK_CUTOFF
) -> float | None:
    """Normalised discounted cumulative gain with binary relevance.

    DCG sums ``1 / log2(rank + 1)`` over the relevant ids among the first ``k``
    (deduplicated); the ideal DCG puts ``min(len(relevant), k)`` relevant ids at the top.

    Args:
        retrieved: Paragraph ids in rank order (best first).
        relevant: The relevant paragraph ids.
        k: Rank cutoff (positive).

    Returns:
        A value in [0, 1], or None when there are no relevant paragraphs.

    """
    _check_k(k)
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    dcg = sum(
        1.0 / math.log2(rank + 1)
        for rank, paragraph_id in enumerate(dedupe(retrieved)[:k], start=1)
        if paragraph_id in relevant_set
    )
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(relevant_set), k) + 1))
    return dcg / ideal


def citation_precision(cited: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of the cited paragraphs that are relevant.

    Args:
        cited: Cited paragraph ids; repeats count once.
        relevant: The relevant paragraph ids.

    Returns:
        A value in [0, 1], or None when nothing was cited.

    """
    cited_once = dedupe(cited)
    if not cited_once:
        return None
    relevant_set = set(relevant)
    return sum(1 for paragraph_id in cited_once if paragraph_id in relevant_set) / len(cited_once)


def citation_recall(cited: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of the relevant paragraphs that were cited.

    Citing nothing (an abstention included) gives 0.0 when something was relevant.

    Args:
        cited: Cited paragraph ids.
        relevant: The relevant paragraph ids.

    Returns:
        A value in [0, 1], or None when there are no relevant paragraphs.

    """
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    return len(relevant_set.intersection(cited)) / len(relevant_set)


def first_citation_correct(cited: Sequence[str], relevant: Iterable[str]) -> bool | None:
    """Whether the first citation is a relevant paragraph.

    Args:
        cited: Cited paragraph ids in the order the answer gives them.
        relevant: The relevant paragraph ids.

    Returns:
        True or False (False when nothing was cited), or None when there are no
        relevant paragraphs.

    """
    relevant_set = set(relevant)
    if not relevant_set:
        return None
    return bool(cited) and cited[0] in relevant_set


def _squash(text: str) -> str:
    # Chinese text has no spaces between words, and extracted report text carries stray
    # line breaks and spaces mid-phrase, so keys are matched with all whitespace removed.
    return _WHITESPACE.sub("", text)


def missing_keys(answer: str, keys: Iterable[str]) -> list[str]:
    """Return the answer keys not found in ``answer`` (compared with all whitespace removed).

    Args:
        answer: The answer text.
        keys: Strings the answer should contain.

    Returns:
        The missing keys, in the order given.

    """
    squashed = _squash(answer)
    return [key for key in keys if _squash(key) not in squashed]


def answer_coverage(answer: str, keys: Sequence[str]) -> float | None:
    """Share of the answer keys found in ``answer`` (compared with all whitespace removed).

    Args:
        answer: The answer text.
        keys: Strings the answer should contain.

    Returns:
        A value in [0, 1], or None when there are no keys.

    """
    if not keys:
        return None
    return 1.0 - len(missing_keys(answer, keys)) / len(keys)


def percentile(values: Iterable[float], p: float) -> float | None:
    """Return the ``p``-th percentile of ``values`` by the nearest-rank method.

    The result is the smallest value such that at least ``p`` percent of the values are
    at most it; it is always one of the values.

    Args:
        values: The sample.
        p: Percentile in [0, 100]; 0 gives the minimum.

    Returns:
        The percentile, or None when ``values`` is empty.

    Raises:
        ValueError: If ``p`` is outside [0, 100].

    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None, or None when there are none."""
    present = [value for value in values if value is not None]
    if not present:
        return None
    return sum(present) / len(present)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def score_question(
    *,
    retrieved: Sequence[str],
    relevant: Sequence[str],
    cited: Sequence[str],
    answer: str,
    answer_contains: Sequence[str],
    answerable: bool,
    ks: Sequence[int] = DEFAULT_KS,
) -> dict[str, Any]:
    """Per-question metrics, the ones :func:`aggregate` averages.

    Args:
        retrieved: Retrieved paragraph ids in rank order.
        relevant: The relevant paragraph ids.
        cited: Cited paragraph ids in answer order.
        answer: The answer text.
        answer_contains: Strings the answer should contain.
        answerable: Whether the question has an answer in the corpus.
        ks: Recall@k and Hit@k cutoffs.

    Returns:
        ``recall@k`` and ``hit@k`` for each k, ``mrr@10``, ``ndcg@10``,
        ``answer_coverage``, ``citation_precision``, ``citation_recall`` and
        ``first_citation_correct``. All are None for an unanswerable question, because
        every one of them is defined only over answerable questions.

    """
    scores: dict[str, Any] = {}
    for k in ks:
        scores[f"recall@{k}"] = recall_at_k(retrieved, relevant, k) if answerable else None
        scores[f"hit@{k}"] = hit_at_k(retrieved, relevant, k) if answerable else None
    if not answerable:
        for name in (
            f"mrr@{RANK_CUTOFF}",
            f"ndcg@{RANK_CUTOFF}",
            "answer_coverage",
            "citation_precision",
            "citation_recall",
            "first_citation_correct",
        ):
            scores[name] = None
        return scores
    scores[f"mrr@{RANK_CUTOFF}"] = reciprocal_rank(retrieved, relevant, RANK_CUTOFF)
    scores[f"ndcg@{RANK_CUTOFF}"] = ndcg_at_k(retrieved, relevant, RANK_CUTOFF)
    scores["answer_coverage"] = answer_coverage(answer, answer_contains)
    scores["citation_precision"] = citation_precision(cited, relevant)
    scores["citation_recall"] = citation_recall(cited, relevant)
    scores["first_citation_correct"] = first_citation_correct(cited, relevant)
    return scores


def metric_names(ks: Sequence[int] = DEFAULT_KS) -> list[str]:
    """Names of the metrics :func:`aggregate` reports, in report order."""
    names = list(COUNT_METRICS)
    for k in ks:
        names += [f"recall@{k}", f"hit@{k}"]
    names += [
        f"mrr@{RANK_CUTOFF}",
        f"ndcg@{RANK_CUTOFF}",
        "answer_coverage",
        "citation_precision",
        "citation_recall",
        "abstention_precision",
        "abstention_recall",
        "wrong_abstention_rate",
        "latency_p50_ms",
        "latency_p95_ms",
    ]
    return names


def aggregate(records: Iterable[ScoredQuestion], ks: Sequence[int] = DEFAULT_KS) -> dict[str, Any]:
    """Turn per-question records into one metric dict.

    Retrieval, answer and citation metrics average over answerable questions (citation
    precision over those that cited something, answer coverage over those with keys);
    abstention metrics count abstentions against answerability; latency percentiles cover
    every question with a measured latency.

    Args:
        records: Evaluated questions.
        ks: Recall@k and Hit@k cutoffs.

    Returns:
        A dict keyed by :func:`metric_names`; counts are ints, every other value is a
        float or None when its denominator is empty.

    """
    records = list(records)
    answerable = [record for record in records if record.answerable]
    unanswerable_count = len(records) - len(answerable)
    per_question = [
        score_question(
            retrieved=record.retrieved,
            relevant=record.relevant,
            cited=record.cited,
            answer=record.answer,
            answer_contains=record.answer_contains,
            answerable=True,
            ks=ks,
        )
        for record in answerable
    ]
    abstained = [record for record in records if record.abstained]

    result: dict[str, Any] = {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": unanswerable_count,
    }
    for k in ks:
        for name in (f"recall@{k}", f"hit@{k}"):
            result[name] = mean(scores[name] for scores in per_question)
    for name in (
        f"mrr@{RANK_CUTOFF}",
        f"ndcg@{RANK_CUTOFF}",
        "answer_coverage",
        "citation_precision",
        "citation_recall",
    ):
        result[name] = mean(scores[name] for scores in per_question)
    result["abstention_precision"] = _ratio(
        sum(1 for record in abstained if not record.answerable), len(abstained)
    )
    result["abstention_recall"] = _ratio(
        sum(1 for record in records if record.abstained and not record.answerable),
        unanswerable_count,
    )
    result["wrong_abstention_rate"] = _ratio(
        sum(1 for record in answerable if record.abstained), len(answerable)
    )
    latencies = [record.latency_ms for record in records if record.latency_ms is not None]
    result["latency_p50_ms"] = percentile(latencies, 50)
    result["latency_p95_ms"] = percentile(latencies, 95)
    return result


def summarize(records: Iterable[ScoredQuestion], ks: Sequence[int] = DEFAULT_KS) -> dict[str, Any]:
    """Metrics overall and for each language.

    Args:
        records: Evaluated questions.
        ks: Recall@k and Hit@k cutoffs.

    Returns:
        ``{"overall": aggregate(records), "by_lang": {lang: aggregate(of that lang)}}``,
        languages sorted by code.

    """
    records = list(records)
    by_lang: dict[str, list[ScoredQuestion]] = defaultdict(list)
    for record in records:
        by_lang[record.lang].append(record)
    return {
        "overall": aggregate(records, ks),
        "by_lang": {lang: aggregate(by_lang[lang], ks) for lang in sorted(by_lang)},
    }
