"""The answer-type test: does a passage hold the kind of answer a question asks for?

Unit tests on real report text (the seed's paragraphs), and the answerer's behaviour
with it on the hashing embedder. The slow tier (tests/test_answerer.py) checks the same
on the dev set with the bundled model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from embeddings import make_embedder
from index.parser import parse_file
from index.store import Index, write_index
from service.answerability import (
    DURATION,
    MONEY,
    PLACE,
    PROVISION,
    QUANTITY,
    SPEAKER,
    STATE,
    TIME,
    VIEW,
    profile_question,
)
from service.answerer import Answerer
from tests.support import SEED, SEED_DOC_ID


@pytest.fixture(scope="module")
def paragraphs() -> dict[int, str]:
    return {p.number: p.text for p in parse_file(SEED).paragraphs}


@pytest.mark.parametrize(("question", "types"), [
    ("报告建议互联网服务供应商应将用户数据保留多长时间？", (DURATION,)),
    ("For how many years must the data be kept?", (DURATION,)),
    ("专家组共有多少名成员？", (QUANTITY,)),
    ("How many countries have ratified the Budapest Convention?", (QUANTITY,)),
    ("专家组 2021 年的预算经费是多少？", (MONEY,)),
    ("How much funding does the expert group have?", (MONEY,)),
    ("专家组下一次会议将于何时举行？", (TIME,)),
    ("By what deadline must the committee finish?", (TIME,)),
    ("《联合国打击跨国有组织犯罪公约》是哪一年通过的？", (TIME,)),
    ("特设委员会的谈判会议将在哪个城市举行？", (PLACE,)),
    ("When and where will the expert group hold its next session?", (TIME, PLACE)),
    ("Which delegation proposed extending the mandate?", (STATE,)),
    ("哪个国家提议将主权问题列入新公约？", (STATE,)),
    ("主张把主权原则适用于网络空间的是哪些国家的代表团？", (STATE,)),
    ("本次专家组会议由谁担任主席？", (SPEAKER,)),
    ("Who chaired the meeting of the expert group?", (SPEAKER,)),
    ("What position did the United States take on the new convention?", (VIEW,)),
    ("What was the European Union's position on a new convention?", (VIEW,)),
    ("What did the observer from Beijing Normal University say?", (VIEW,)),
    ("欧洲联盟代表在发言中对拟订新公约持什么态度？", (VIEW,)),
    ("中国专家在会上对《布达佩斯公约》是什么态度？", (VIEW,)),
    ("北京师范大学那位观察员在发言中具体讲了哪些观点？", (VIEW,)),
    ("《联合国打击跨国有组织犯罪公约》中关于司法协助的条款规定了哪些内容？", (PROVISION,)),
    ("Which offences does the UN Convention against Corruption require states to criminalize?",
     (PROVISION,)),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None)
def test_questions_that_ask_for_a_kind_of_answer(question: str, types: tuple[str, ...]) -> None:
    assert profile_question(question).types == types


@pytest.mark.parametrize("question", [
    # Open questions, and question words inside a subordinate clause.
    "直接发出出示令时，建议以哪国的立法为基准？",
    "有呼吁称哪些国家应积极参与特设委员会拟订新公约的工作？",
    "如果无法确定罪案发生在何处，报告建议怎样决定由谁来推进调查？",
    "这样做可以让各方把精力集中在哪些事情上？",
    "如果查不清违法行为究竟发生在哪里，报告设想的机制要求先弄清什么？",
    "中央机关几乎承担了哪些职能？",
    "When it is unclear where the data sits, what mechanism was proposed?",
    "Who could train practitioners at home and abroad?",
    "For direct production orders, whose legislation was suggested as the benchmark?",
    "What does the report say about sovereignty?",
    # A view asked of no named party.
    "一些会员国对第 74/247 号决议持什么态度？",
    "What did the speakers say about the Budapest Convention?",
    "What position did member states take on resolution 74/247?",
    # Why an instrument is cited is not what it provides.
    "为什么《布达佩斯公约》在获取电子证据方面被着重强调？",
    "Why was the Budapest Convention highlighted as the standard for electronic evidence?",
])
def test_open_questions_ask_for_no_particular_kind(question: str) -> None:
    assert profile_question(question).types == ()


def test_a_passage_without_the_kind_of_answer_is_named_as_lacking_it(
        paragraphs: dict[int, str]) -> None:
    how_long = profile_question("应将数据保留多长时间？")
    assert how_long.missing(paragraphs[13]) == ["a length of time"]
    assert profile_question("谈判会议将在哪个城市举行？").missing(paragraphs[5]) == ["a place"]
    assert profile_question("专家组共有多少名成员？").missing(paragraphs[2]) == ["a number"]
    assert profile_question("Which country sponsored it?").missing(paragraphs[4]) == [
        "the state that said or did it"]


def test_a_passage_with_the_kind_of_answer_passes(paragraphs: dict[int, str]) -> None:
    # Paragraph 2 dates the committee's start ("2021 年"); 16 names states; 17 counts one
    # observer ("一名观察员").
    assert profile_question("特设委员会应在什么时候才开始工作？").missing(paragraphs[2]) == []
    assert profile_question("哪些国家的专家在哪里作了发言？").missing(paragraphs[16]) == []
    assert profile_question("How many observers spoke?").missing(paragraphs[17]) == []


def test_years_and_document_symbols_are_not_counts(paragraphs: dict[int, str]) -> None:
    # Paragraph 3 holds "第 74/247 号决议" and "2021 年": neither answers "how many".
    assert profile_question("How many members does the group have?").missing(paragraphs[3]) == [
        "a number"]


def test_numbers_the_question_names_must_be_in_the_passage(
        paragraphs: dict[int, str]) -> None:
    article = profile_question("《布达佩斯公约》第 18 条规定了什么内容？")
    assert article.numbers == ("18",)
    assert article.missing(paragraphs[13]) == ["what a named instrument provides", "“18”"]
    assert article.missing(paragraphs[6]) == ["“18”"]  # "刑事定罪规定" is a provision
    resolution = profile_question("What was said about resolution 74/247?")
    assert resolution.missing(paragraphs[4]) == []
    assert resolution.missing(paragraphs[13]) == ["“74/247”"]
    # A year describes more often than it asks: "the 2001 treaty" is still the treaty.
    assert profile_question("Why is the 2001 treaty a benchmark?").missing(paragraphs[13]) == []


def test_a_named_party_s_view_needs_a_passage_that_attributes_one(
        paragraphs: dict[int, str]) -> None:
    view = profile_question("中国专家在发言中对《布达佩斯公约》持什么立场？")
    # The report lists who spoke (16, 17) and records views unattributed (4, 13).
    assert view.missing(paragraphs[16]) == ["what a named party said"]
    for number in (4, 13, 17):
        assert view.missing(paragraphs[number]) == ["what a named party said", "“中国”"]
    assert view.missing("中国代表认为，应以现有文书为基础。") == []
    assert view.missing("The representative of China stated that existing instruments "
                        "should be the basis.") == []


def test_what_an_instrument_provides_needs_a_passage_that_states_a_provision(
        paragraphs: dict[int, str]) -> None:
    # Paragraph 13 names the Budapest Convention and praises it, but quotes none of it.
    provision = profile_question("What does article 18 of the Budapest Convention provide?")
    assert provision.types == (PROVISION,)
    assert provision.missing(paragraphs[13]) == ["what a named instrument provides", "“18”"]
    assert provision.missing("《布达佩斯公约》第 18 条规定了出示令。") == []


def test_places_the_question_names_must_be_in_the_passage(paragraphs: dict[int, str]) -> None:
    united_states = profile_question("美利坚合众国的专家是否在会上作了发言？")
    assert united_states.names == ("美利坚合众国",)
    assert united_states.missing(paragraphs[16]) == ["“美利坚合众国”"]
    # The short name of a state finds its UN name.
    assert profile_question("英国专家是否作了发言？").missing(paragraphs[16]) == []
    assert profile_question("中国专家是否作了发言？").missing(paragraphs[16]) == []
    # Regions are not names a passage repeats: it names the states in them.
    assert profile_question("有哪些来自大洋洲国家的专家作了发言？").names == ()
    # Organisations are not string-matched: they are abbreviated too freely.
    assert profile_question("国际刑警组织是否作了发言？").names == ()


# ------------------------------------------------------------- through the answerer


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    path: Path = tmp_path_factory.mktemp("answerability") / "index"
    embedder = make_embedder("hashing")
    write_index(path, embedder, upserts=[parse_file(SEED)])
    return Answerer(Index.load(path, embedder=embedder), embedder, min_relevance=0.0)


def test_answerer_abstains_naming_what_the_passages_lack(answerer: Answerer) -> None:
    answer = answerer.ask("互联网服务供应商应将用户数据保留多长时间？")
    assert answer.abstained
    assert answer.citations == []
    assert answer.answer == "报告中没有找到能回答这个问题的段落。"
    assert answer.reason is not None
    assert answer.reason.startswith("the question asks for a length of time, and none of "
                                    f"the closest passages ({SEED_DOC_ID}#")
    assert answer.reason.endswith(") gives it")
    assert answer.hits, "the retrieved passages are still returned for inspection"


def test_answerer_answers_when_the_passage_has_it(answerer: Answerer) -> None:
    answer = answerer.ask("根据第 74/247 号决议设立的特设委员会应在什么时候才开始工作？")
    assert not answer.abstained, answer.reason
    assert answer.citations[0].id == f"{SEED_DOC_ID}#2"
    assert "2021" in answer.citations[0].quote


def test_every_cited_paragraph_has_what_the_question_asks(answerer: Answerer,
                                                          paragraphs: dict[int, str]) -> None:
    question = "特设委员会和专家组的工作应在什么时候开始或结束？"
    answer: Any = answerer.ask(question)
    profile = profile_question(question)
    assert profile.types == (TIME,)
    assert answer.citations
    for citation in answer.citations:
        assert profile.missing(paragraphs[citation.paragraph]) == []
