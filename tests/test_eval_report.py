"""The eval runner (with a fake answerer), report writing, gates and run comparison.

The answerer is faked here because the runner is the unit under test: each canned
answer below was chosen so every metric can be computed by hand.
"""

from __future__ import annotations

import json
import math

import httpx
import pytest

from eval import runner as runner_module
from eval.dataset import EvalQuestion
from eval.report import (
    check_maximums,
    check_minimums,
    compare,
    format_table,
    load_result,
    question_problems,
    write_markdown_report,
)
from eval.runner import EvalRunError, http_ask, run_eval

KS = (1, 3)
RANK2 = 1 / math.log2(3)  # discount at rank 2
NDCG_Q1 = (1 + 0.5) / (1 + RANK2)  # hits D#1 (rank 1) and D#2 (rank 3) of 2 relevant
NDCG_Q2 = RANK2  # the one relevant paragraph at rank 2

QUESTIONS = [
    EvalQuestion(
        id="q1",
        question="谁负责？",
        relevant=("D#1", "D#2"),
        answerable=True,
        answer_contains=("供应商",),
        lang="zh",
    ),
    EvalQuestion(id="q2", question="哪一段？", relevant=("D#3",), answerable=True, lang="zh"),
    EvalQuestion(
        id="q3",
        question="Which article?",
        relevant=("E#5",),
        answerable=True,
        answer_contains=("Article 5",),
        lang="en",
    ),
    EvalQuestion(id="q4", question="Who won in 1850?", lang="en"),
    EvalQuestion(id="q5", question="What is the weather?", lang="en"),
]


def answer(text, cited=(), hits=(), abstained=False):
    return {
        "answer": text,
        "abstained": abstained,
        "reason": "low_score" if abstained else None,
        "citations": [{"id": citation_id, "text": "…"} for citation_id in cited],
        "hits": [{"id": hit_id, "score": 1.0 / rank} for rank, hit_id in enumerate(hits, 1)],
    }


BEFORE_ANSWERS = {
    "谁负责？": (answer("互联网服务供 应商", ["D#1"], ["D#1", "X#9", "D#2"]), 100.0),
    "哪一段？": (answer("见第一段", ["X#1"], ["X#1", "D#3"]), 300.0),
    "Which article?": (answer("I cannot answer.", [], ["E#7"], abstained=True), 200.0),
    "Who won in 1850?": (answer("No answer.", [], ["E#1"], abstained=True), 50.0),
    "What is the weather?": (answer("Sunny.", ["E#2"], ["E#2"]), 400.0),
}

AFTER_ANSWERS = {
    **BEFORE_ANSWERS,
    "哪一段？": (answer("见第三段", ["D#3"], ["D#3", "X#1"]), 250.0),
    "Which article?": (answer("Article 5 applies.", ["E#5"], ["E#5"]), 150.0),
}


@pytest.fixture
def fake_clock(monkeypatch):
    """Make ``time.perf_counter`` advance only when the fake answerer says it took time."""
    now = [0.0]
    monkeypatch.setattr(runner_module.time, "perf_counter", lambda: now[0])
    return now


def make_ask(answers, clock):
    def ask(question):
        response, latency_ms = answers[question]
        clock[0] += latency_ms / 1000
        return response

    return ask


@pytest.fixture
def before(fake_clock):
    return run_eval(QUESTIONS, make_ask(BEFORE_ANSWERS, fake_clock), ks=KS, progress=False)


@pytest.fixture
def after(fake_clock):
    return run_eval(QUESTIONS, make_ask(AFTER_ANSWERS, fake_clock), ks=KS, progress=False)


# --- run_eval -------------------------------------------------------------------------


def test_run_eval_overall_matches_hand_computed(before):
    overall = before["overall"]
    assert overall["questions"] == 5
    assert overall["answerable"] == 3
    assert overall["unanswerable"] == 2
    assert overall["recall@1"] == pytest.approx(0.5 / 3)  # q1 1/2, q2 0, q3 0
    assert overall["hit@1"] == pytest.approx(1 / 3)
    assert overall["recall@3"] == pytest.approx(2 / 3)  # q1 1, q2 1, q3 0
    assert overall["hit@3"] == pytest.approx(2 / 3)
    assert overall["mrr@10"] == pytest.approx(0.5)  # (1 + 1/2 + 0) / 3
    assert overall["ndcg@10"] == pytest.approx((NDCG_Q1 + NDCG_Q2) / 3)
    assert overall["answer_coverage"] == 0.5  # q1 1, q3 0 (abstained); q2 has no keys
    assert overall["citation_precision"] == 0.5  # q1 1, q2 0; q3 cited nothing
    assert overall["citation_recall"] == pytest.approx(0.5 / 3)  # q1 1/2, q2 0, q3 0
    assert overall["abstention_precision"] == 0.5  # abstained on q3 (wrong) and q4 (right)
    assert overall["abstention_recall"] == 0.5  # q4 of q4, q5
    assert overall["wrong_abstention_rate"] == pytest.approx(1 / 3)
    assert overall["latency_p50_ms"] == pytest.approx(200.0)  # of 50,100,200,300,400
    assert overall["latency_p95_ms"] == pytest.approx(400.0)


def test_run_eval_by_language_matches_hand_computed(before):
    zh = before["by_lang"]["zh"]
    assert (zh["questions"], zh["answerable"], zh["unanswerable"]) == (2, 2, 0)
    assert zh["recall@1"] == 0.25
    assert zh["hit@1"] == 0.5
    assert zh["recall@3"] == 1.0
    assert zh["mrr@10"] == 0.75
    assert zh["ndcg@10"] == pytest.approx((NDCG_Q1 + NDCG_Q2) / 2)
    assert zh["answer_coverage"] == 1.0
    assert zh["citation_precision"] == 0.5
    assert zh["citation_recall"] == 0.25
    assert zh["abstention_precision"] is None  # nothing abstained
    assert zh["abstention_recall"] is None  # nothing unanswerable
    assert zh["wrong_abstention_rate"] == 0.0
    assert (zh["latency_p50_ms"], zh["latency_p95_ms"]) == pytest.approx((100.0, 300.0))

    en = before["by_lang"]["en"]
    assert (en["questions"], en["answerable"], en["unanswerable"]) == (3, 1, 2)
    assert en["recall@3"] == 0.0
    assert en["answer_coverage"] == 0.0
    assert en["citation_precision"] is None  # the one answerable question cited nothing
    assert en["citation_recall"] == 0.0
    assert en["abstention_precision"] == 0.5
    assert en["abstention_recall"] == 0.5
    assert en["wrong_abstention_rate"] == 1.0
    assert (en["latency_p50_ms"], en["latency_p95_ms"]) == pytest.approx((200.0, 400.0))


def test_run_eval_records_each_question(before):
    assert before["ks"] == [1, 3]
    q1, q2, q3, _q4, q5 = before["questions"]
    assert q1["retrieved"] == ["D#1", "X#9", "D#2"]
    assert q1["cited"] == ["D#1"]
    assert q1["missing_keys"] == []
    assert q1["latency_ms"] == pytest.approx(100.0)
    assert q1["metrics"]["first_citation_correct"] is True
    assert q2["metrics"]["first_citation_correct"] is False
    assert q3["abstained"] is True
    assert q3["reason"] == "low_score"
    assert q3["missing_keys"] == ["Article 5"]
    assert q5["metrics"]["recall@1"] is None  # unanswerable: not scored for retrieval
    # The whole result is what --json writes, so it must serialise.
    assert json.loads(json.dumps(before)) == before


def test_run_eval_ignores_citations_of_an_abstention(fake_clock):
    answers = {"Which article?": (answer("?", ["E#5"], ["E#5"], abstained=True), 1.0)}
    result = run_eval(QUESTIONS[2:3], make_ask(answers, fake_clock), ks=KS, progress=False)
    assert result["questions"][0]["cited"] == []
    assert result["overall"]["citation_recall"] == 0.0


def test_run_eval_names_the_question_when_the_answerer_fails():
    def broken(question):
        raise RuntimeError("index exploded")

    with pytest.raises(EvalRunError, match="question 'q1'.*index exploded"):
        run_eval(QUESTIONS, broken, progress=False)


def test_run_eval_rejects_an_answer_without_hits():
    with pytest.raises(EvalRunError, match="question 'q1': malformed answer.*'hits'"):
        run_eval(QUESTIONS, lambda question: {"answer": "x", "abstained": False, "citations": []})


@pytest.mark.parametrize("ks", [(), (0, 3)])
def test_run_eval_checks_cutoffs_before_asking(ks):
    def never_called(question):
        raise AssertionError("asked before the cutoffs were checked")

    with pytest.raises(ValueError, match="cutoffs must be positive"):
        run_eval(QUESTIONS, never_called, ks=ks, progress=False)


def test_progress_bar_stays_off_when_disabled(before, capsys):
    run_eval(QUESTIONS[:1], lambda question: BEFORE_ANSWERS[question][0], progress=False)
    assert capsys.readouterr().err == ""


# --- http_ask -----------------------------------------------------------------------------


def test_http_ask_posts_question_with_bearer_key():
    seen = {}

    def handler(request):
        seen["url"] = str(request.url)
        seen["auth"] = request.headers.get("authorization")
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, json=answer("ok", ["D#1"], ["D#1"]))

    with http_ask(
        "http://svc:8000/", api_key="s3cret", top_k=12, transport=httpx.MockTransport(handler)
    ) as ask:
        response = ask("谁负责？")
    assert seen == {
        "url": "http://svc:8000/v1/ask",
        "auth": "Bearer s3cret",
        "body": {"question": "谁负责？", "top_k": 12},
    }
    assert response["citations"][0]["id"] == "D#1"


def test_http_ask_without_key_sends_no_authorization():
    def handler(request):
        assert "authorization" not in request.headers
        return httpx.Response(200, json=answer("ok"))

    with http_ask("http://svc", transport=httpx.MockTransport(handler)) as ask:
        ask("q")


def test_http_ask_error_shows_status_and_body():
    def handler(request):
        return httpx.Response(401, json={"error": {"code": "unauthorized"}})

    with http_ask("http://svc", transport=httpx.MockTransport(handler)) as ask:
        with pytest.raises(EvalRunError, match=r"HTTP 401: .*unauthorized"):
            ask("q")


def test_http_ask_unreachable_service():
    def handler(request):
        raise httpx.ConnectError("connection refused")

    with http_ask("http://svc", transport=httpx.MockTransport(handler)) as ask:
        with pytest.raises(EvalRunError, match="cannot reach http://svc/v1/ask"):
            ask("q")


# --- format_table / markdown --------------------------------------------------------------


def test_format_table_shows_every_metric_and_language(before):
    table = format_table(before)
    header = table.splitlines()[0].split()
    assert header == ["metric", "overall", "en", "zh"]
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[2:]}
    assert rows["questions"] == ["5", "3", "2"]
    assert rows["recall@1"] == ["0.167", "0.000", "0.250"]
    assert rows["abstention_precision"] == ["0.500", "0.500", "n/a"]
    assert rows["latency_p95_ms"] == ["400.0", "400.0", "300.0"]
    assert len(rows) == len(before["overall"])


def test_markdown_report_and_png(before, tmp_path):
    report_path = tmp_path / "reports" / "run.md"
    chart_path = write_markdown_report(before, report_path)
    assert chart_path == tmp_path / "reports" / "run.png"
    assert chart_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert chart_path.stat().st_size > 5000  # an actual drawing, not an empty canvas

    text = report_path.read_text(encoding="utf-8")
    assert "](run.png)" in text
    assert "| recall@1 | 0.167 | 0.000 | 0.250 |" in text
    assert "## Failures (3)" in text
    failures = text.split("## Failures")[1]
    failure_rows = {
        line.split("|")[1].strip(): line for line in failures.splitlines() if line.startswith("| q")
    }
    assert set(failure_rows) == {"q2", "q3", "q5"}
    assert "wrong first citation" in failure_rows["q2"]
    assert "wrong abstention" in failure_rows["q3"]
    assert "answered unanswerable" in failure_rows["q5"]


def test_question_problems_reports_missing_keys():
    question = {
        "answerable": True,
        "abstained": False,
        "cited": ["D#1"],
        "missing_keys": ["供应商"],
        "metrics": {"first_citation_correct": True},
    }
    assert question_problems(question) == ["missing keys"]
    assert question_problems({**question, "cited": []}) == ["no citation", "missing keys"]


# --- gates ----------------------------------------------------------------------------------


def test_check_minimums_reports_each_failing_metric(before):
    assert check_minimums(before, ["recall@3=0.6", "questions=5"]) == []
    failures = check_minimums(before, ["recall@3=0.9", "mrr@10=0.5", "hit@1 = 0.5"])
    assert failures == [
        "recall@3 is 0.667, below the minimum 0.900",
        "hit@1 is 0.333, below the minimum 0.500",
    ]


def test_check_minimums_fails_a_metric_that_was_not_measured(before):
    zh_only = {**before, "overall": before["by_lang"]["zh"]}
    [failure] = check_minimums(zh_only, ["abstention_recall=0.5"])
    assert "abstention_recall could not be measured" in failure


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("recall@7=0.5", "unknown metric 'recall@7'.*recall@1, hit@1"),
        ("recall@3", "expected METRIC=VALUE"),
        ("recall@3=high", "'high' is not a number"),
        ("recall@3=95", "ratio between 0 and 1"),
        ("latency_p95_ms=100", "lower-is-better"),
    ],
)
def test_check_minimums_rejects_bad_specs(before, spec, message):
    with pytest.raises(ValueError, match=message):
        check_minimums(before, [spec])


def test_check_maximums_for_lower_is_better_metrics(before):
    assert check_maximums(before, ["latency_p95_ms=500"]) == []
    assert check_maximums(before, ["latency_p95_ms=300", "wrong_abstention_rate=0.5"]) == [
        "latency_p95_ms is 400.0, above the maximum 300.0"
    ]
    with pytest.raises(ValueError, match="higher-is-better"):
        check_maximums(before, ["recall@1=0.5"])


# --- compare ------------------------------------------------------------------------------


def test_compare_lists_metric_deltas_and_changed_questions(before, after, tmp_path):
    saved_before = tmp_path / "before.json"
    saved_after = tmp_path / "after.json"
    saved_before.write_text(json.dumps(before), encoding="utf-8")
    saved_after.write_text(json.dumps(after), encoding="utf-8")

    text = compare(load_result(saved_before), load_result(saved_after))
    lines = text.splitlines()
    overall_table = text.split("\n\n")[0].splitlines()[3:]  # after title, header, rule
    overall_rows = {line.split()[0]: line.split()[1:] for line in overall_table}
    assert len(overall_rows) == len(after["overall"])
    # hit@1: q2 and q3 now rank their paragraph first.
    assert overall_rows["hit@1"] == ["0.333", "1.000", "+0.667"]
    assert overall_rows["wrong_abstention_rate"] == ["0.333", "0.000", "-0.333"]

    assert "Changed questions (2)" in lines
    [q2_line] = [line for line in lines if line.strip().startswith("q2 ")]
    assert "first citation wrong → correct (X#1 → D#3)" in q2_line
    [q3_line] = [line for line in lines if line.strip().startswith("q3 ")]
    assert "abstained → answered" in q3_line
    assert "first citation wrong → correct" in q3_line
    assert "answer coverage 0.00 → 1.00" in q3_line
    assert not any(line.strip().startswith(("q1 ", "q4 ", "q5 ")) for line in lines)


def test_compare_of_identical_runs_changes_nothing(before):
    text = compare(before, before)
    assert "Changed questions (0)" in text
    assert "Language zh (changed metrics)\nno change" in text


def test_compare_never_prints_negative_zero(before):
    slower = {**before, "overall": {**before["overall"], "latency_p50_ms": 200.00001}}
    row = next(line for line in compare(slower, before).splitlines() if "latency_p50_ms" in line)
    assert row.split() == ["latency_p50_ms", "200.0", "200.0", "+0.0"]


def test_compare_reports_questions_only_in_one_run(before):
    trimmed = {**before, "questions": before["questions"][:-1]}
    assert "Only in before: q5" in compare(before, trimmed)


def test_load_result_rejects_other_json(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an eval result"):
        load_result(path)
