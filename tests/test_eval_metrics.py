"""Every evaluation metric against hand-computed values, edge cases included."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest

from eval.metrics import (
    aggregate,
    answer_coverage,
    citation_precision,
    citation_recall,
    dedupe,
    first_citation_correct,
    hit_at_k,
    mean,
    metric_names,
    missing_keys,
    ndcg_at_k,
    parse_ks,
    percentile,
    recall_at_k,
    reciprocal_rank,
    score_question,
    summarize,
)

# Discount of rank r is 1 / log2(r + 1): rank 1 → 1, rank 2 → 0.6309, rank 3 → 0.5.
RANK2 = 1 / math.log2(3)
RANK3 = 0.5


# --- parse_ks -------------------------------------------------------------------------


def test_parse_ks_sorts_and_dedupes():
    assert parse_ks("10, 1,3,5,3") == (1, 3, 5, 10)


@pytest.mark.parametrize("text", ["", " , ", "1,x", "0", "1,-2", "1.5", "3,,5"])
def test_parse_ks_rejects_bad_lists(text):
    with pytest.raises(ValueError, match="positive integers"):
        parse_ks(text)


# --- recall / hit -----------------------------------------------------------------------


def test_recall_at_k_counts_relevant_found_within_cutoff():
    retrieved = ["a", "b", "c"]
    assert recall_at_k(retrieved, ["b", "d"], 1) == 0.0
    assert recall_at_k(retrieved, ["b", "d"], 2) == 0.5
    assert recall_at_k(retrieved, ["b", "c"], 3) == 1.0


def test_recall_at_k_larger_than_list_uses_whole_list():
    assert recall_at_k(["a", "b"], ["b", "z"], 10) == 0.5


def test_recall_counts_duplicates_once_at_first_occurrence():
    # Deduplicated ranking is [a, b]: the repeat of "a" does not push "b" out of the top 2.
    assert recall_at_k(["a", "a", "b"], ["b"], 2) == 1.0
    # Repeated relevant ids in either list do not inflate recall past 1.
    assert recall_at_k(["b", "b"], ["b", "b", "c"], 2) == 0.5


def test_recall_and_hit_without_relevant_paragraphs_are_none():
    assert recall_at_k(["a"], [], 3) is None
    assert hit_at_k(["a"], [], 3) is None


def test_recall_and_hit_with_nothing_retrieved_are_zero():
    assert recall_at_k([], ["a"], 3) == 0.0
    assert hit_at_k([], ["a"], 3) == 0.0


def test_hit_at_k():
    assert hit_at_k(["x", "y", "r"], ["r"], 2) == 0.0
    assert hit_at_k(["x", "y", "r"], ["r"], 3) == 1.0
    assert hit_at_k(["x", "x", "r"], ["r"], 2) == 1.0


@pytest.mark.parametrize("k", [0, -1])
def test_cutoff_must_be_positive(k):
    with pytest.raises(ValueError, match="positive"):
        recall_at_k(["a"], ["a"], k)


# --- reciprocal rank / nDCG ---------------------------------------------------------------


def test_reciprocal_rank():
    assert reciprocal_rank(["r", "x"], ["r"]) == 1.0
    assert reciprocal_rank(["x", "y", "r"], ["r", "s"]) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x", "x", "r"], ["r"]) == 0.5
    assert reciprocal_rank(["x", "r"], ["r"], k=1) == 0.0
    assert reciprocal_rank([], ["r"]) == 0.0
    assert reciprocal_rank(["r"], []) is None


def test_reciprocal_rank_ignores_hits_past_rank_10():
    retrieved = [f"x{i}" for i in range(10)] + ["r"]
    assert reciprocal_rank(retrieved, ["r"]) == 0.0


def test_ndcg_hand_computed():
    # DCG = RANK2 + RANK3; ideal (2 relevant) = 1 + RANK2.
    assert ndcg_at_k(["x", "r1", "r2"], ["r1", "r2"]) == pytest.approx(
        (RANK2 + RANK3) / (1 + RANK2)
    )
    assert ndcg_at_k(["x", "r1", "r2"], ["r1", "r2"]) == pytest.approx(0.69342, abs=1e-5)


def test_ndcg_ideal_covers_all_relevant_up_to_cutoff():
    # 3 relevant, only the first found: ideal DCG sums the top 3 discounts.
    assert ndcg_at_k(["r1", "x", "y"], ["r1", "r2", "r3"]) == pytest.approx(1 / (1 + RANK2 + RANK3))
    # 12 relevant, all of the top 10 relevant: ideal is capped at 10 ranks, so this is perfect.
    relevant = [f"r{i}" for i in range(12)]
    assert ndcg_at_k(relevant[:10], relevant) == pytest.approx(1.0)


def test_ndcg_edge_cases():
    assert ndcg_at_k(["r", "r", "r"], ["r"]) == 1.0  # a repeat earns no extra gain
    assert ndcg_at_k([], ["r"]) == 0.0
    assert ndcg_at_k(["r"], []) is None
    assert ndcg_at_k(["x", "r"], ["r"], k=1) == 0.0


# --- citations ----------------------------------------------------------------------------


def test_citation_precision():
    assert citation_precision(["a", "b"], ["a"]) == 0.5
    assert citation_precision(["a", "b", "a"], ["a"]) == 0.5  # repeats count once
    assert citation_precision(["a"], []) == 0.0
    assert citation_precision([], ["a"]) is None


def test_citation_recall():
    assert citation_recall(["a", "x"], ["a", "b"]) == 0.5
    assert citation_recall([], ["a"]) == 0.0  # an abstention cites nothing
    assert citation_recall(["a"], []) is None


def test_first_citation_correct():
    assert first_citation_correct(["a", "x"], ["a"]) is True
    assert first_citation_correct(["x", "a"], ["a"]) is False
    assert first_citation_correct([], ["a"]) is False
    assert first_citation_correct(["a"], []) is None


# --- answer keys ----------------------------------------------------------------------------


def test_answer_coverage_ignores_all_whitespace():
    answer = "互联网 服务\n供应商的所在国"
    keys = ["互联网服务供应商", "所在 国", "缺失的词"]
    assert answer_coverage(answer, keys) == pytest.approx(2 / 3)
    assert missing_keys(answer, keys) == ["缺失的词"]


def test_answer_coverage_without_keys_is_none():
    assert answer_coverage("anything", []) is None
    assert answer_coverage("", ["x"]) == 0.0


# --- percentile / mean ----------------------------------------------------------------------


def test_percentile_nearest_rank():
    values = [40, 10, 30, 20]
    assert percentile(values, 50) == 20  # ceil(0.5 * 4) = rank 2
    assert percentile(values, 95) == 40  # ceil(3.8) = rank 4
    assert percentile(values, 100) == 40
    assert percentile(values, 0) == 10
    assert percentile([7.5], 95) == 7.5


def test_percentile_with_ties():
    values = [5, 5, 5, 9]
    assert percentile(values, 50) == 5
    assert percentile(values, 75) == 5  # rank 3
    assert percentile(values, 76) == 9  # ceil(3.04) = rank 4


def test_percentile_empty_is_none_and_p_is_checked():
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1], 101)


def test_mean_skips_none_and_is_none_when_empty():
    assert mean([1.0, None, 0.0]) == 0.5
    assert mean([None, None]) is None
    assert mean([]) is None


def test_dedupe_keeps_first_occurrence():
    assert dedupe(["b", "a", "b", "c", "a"]) == ["b", "a", "c"]


# --- per question and aggregate --------------------------------------------------------------


def test_score_question_for_unanswerable_is_all_none():
    scores = score_question(
        retrieved=["a"],
        relevant=[],
        cited=["a"],
        answer="x",
        answer_contains=[],
        answerable=False,
        ks=(1, 3),
    )
    assert set(scores) == {
        "recall@1",
        "hit@1",
        "recall@3",
        "hit@3",
        "mrr@10",
        "ndcg@10",
        "answer_coverage",
        "citation_precision",
        "citation_recall",
        "first_citation_correct",
    }
    assert all(value is None for value in scores.values())


@dataclass
class Record:
    lang: str
    answerable: bool
    relevant: list[str]
    retrieved: list[str]
    cited: list[str]
    abstained: bool
    latency_ms: float | None
    answer: str = ""
    answer_contains: list[str] = field(default_factory=list)


def test_aggregate_hand_computed():
    records = [
        # recall@1 1/2, recall@2 1, rr 1, ndcg (1 + RANK2)/(1 + RANK2) = 1, coverage 1/2.
        Record(
            "zh",
            True,
            ["A#1", "A#2"],
            ["A#1", "A#2"],
            ["A#1", "X#1"],
            False,
            10.0,
            answer="甲 乙",
            answer_contains=["甲乙", "丙"],
        ),
        # recall@1 0, recall@2 1, rr 1/2, ndcg RANK2, precision 1, recall 1.
        Record("zh", True, ["B#1"], ["X#2", "B#1"], ["B#1"], False, 30.0),
        # Abstained on an unanswerable question: correct.
        Record("en", False, [], ["X#3"], [], True, 20.0),
    ]
    result = aggregate(records, ks=(1, 2))
    assert list(result) == metric_names((1, 2))
    assert result["questions"] == 3
    assert result["answerable"] == 2
    assert result["unanswerable"] == 1
    assert result["recall@1"] == 0.25
    assert result["hit@1"] == 0.5
    assert result["recall@2"] == 1.0
    assert result["hit@2"] == 1.0
    assert result["mrr@10"] == 0.75
    assert result["ndcg@10"] == pytest.approx((1 + RANK2) / 2)
    assert result["answer_coverage"] == 0.5  # only the first question has keys
    assert result["citation_precision"] == 0.75  # macro: (1/2 + 1) / 2
    assert result["citation_recall"] == 0.75  # (1/2 + 1) / 2
    assert result["abstention_precision"] == 1.0
    assert result["abstention_recall"] == 1.0
    assert result["wrong_abstention_rate"] == 0.0
    assert result["latency_p50_ms"] == 20.0
    assert result["latency_p95_ms"] == 30.0


def test_aggregate_empty_denominators_are_none_not_zero():
    answerable_only = [Record("en", True, ["A#1"], [], [], False, None)]
    result = aggregate(answerable_only, ks=(1,))
    assert result["recall@1"] == 0.0
    assert result["citation_precision"] is None  # nothing cited
    assert result["answer_coverage"] is None  # no keys
    assert result["abstention_precision"] is None  # no abstentions
    assert result["abstention_recall"] is None  # no unanswerable questions
    assert result["latency_p50_ms"] is None  # no measured latency

    empty = aggregate([], ks=(1,))
    assert empty["questions"] == 0
    assert all(empty[name] is None for name in metric_names((1,))[3:])


def test_summarize_splits_by_language():
    records = [
        Record("zh", True, ["A#1"], ["A#1"], ["A#1"], False, 5.0),
        Record("en", True, ["B#1"], ["X#1"], [], True, 15.0),
    ]
    summary = summarize(records, ks=(1,))
    assert summary["overall"]["hit@1"] == 0.5
    assert list(summary["by_lang"]) == ["en", "zh"]
    assert summary["by_lang"]["zh"]["hit@1"] == 1.0
    assert summary["by_lang"]["en"]["hit@1"] == 0.0
    assert summary["by_lang"]["en"]["wrong_abstention_rate"] == 1.0
    assert summary["by_lang"]["en"]["citation_recall"] == 0.0
