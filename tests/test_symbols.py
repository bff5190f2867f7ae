"""Tests of UN document symbol and language detection."""

from __future__ import annotations

import pytest

from index.parser import parse_file, parse_text
from index.symbols import (
    detect_language,
    find_symbol,
    find_symbols,
    is_symbol,
    symbol_doc_id,
    symbol_slug,
)


@pytest.mark.parametrize(
    "symbol",
    [
        "UNODC/CCPCJ/EG.4/2020/L.1/Add.1",
        "A/RES/74/247",
        "E/CN.15/2021/1",
        "A/74/100",
        "S/2020/1",
        "A/C.3/74/L.11/Rev.1",
        "CTOC/COP/WG.2/2021/3",
        "E/2021/30/Corr.1",
    ],
)
def test_real_symbols(symbol):
    assert is_symbol(symbol)
    assert find_symbols(f"Distr.: General  {symbol}  Original: English") == [symbol]


@pytest.mark.parametrize(
    "text", ["74/247", "resolution 74/247", "and/or", "A/B/C", "2/3", "V.20-03819", "http://a/b/1"]
)
def test_not_symbols(text):
    assert not is_symbol(text)
    assert find_symbols(text) == []


def test_symbol_at_line_end_drops_sentence_punctuation():
    assert find_symbols("See document A/74/100.") == ["A/74/100"]


def test_bracketed_reference_is_not_the_document_symbol():
    lines = [
        "Resolution adopted by the General Assembly on 27 December 2019",
        "[on the report of the Third Committee (A/74/399)]",
    ]
    assert find_symbol(lines) is None
    assert find_symbol(["A/RES/74/247", *lines]) == "A/RES/74/247"


def test_first_symbol_wins():
    assert find_symbol(["United Nations", "E/CN.15/2021/1", "A/74/100"]) == "E/CN.15/2021/1"


@pytest.mark.parametrize(
    ("symbol", "slug"),
    [
        ("UNODC/CCPCJ/EG.4/2020/L.1/Add.1", "UNODC-CCPCJ-EG.4-2020-L.1-Add.1"),
        ("A/RES/74/247", "A-RES-74-247"),
        ("E/CN.15/2021/1", "E-CN.15-2021-1"),
        ("S/RES/2231 (2015)", "S-RES-2231-2015"),
    ],
)
def test_slug(symbol, slug):
    assert symbol_slug(symbol) == slug
    assert symbol_doc_id(symbol, "fr") == f"{slug}.fr"
    assert symbol_doc_id(symbol, None) == slug


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("有建议称，根据大会第 74/247 号决议（A/RES/74/247）设立的特设委员会应开始工作。", "zh"),
        ("The Commission should extend the mandate of the Expert Group beyond 2021.", "en"),
        ("La Commission devrait prolonger le mandat du Groupe d'experts au-delà de 2021.", "fr"),
        ("La Comisión debería prorrogar el mandato del Grupo de expertos más allá de 2021.", "es"),
        ("Комиссии следует продлить мандат Группы экспертов после 2021 года.", "ru"),
        ("ينبغي للجنة أن تمدد ولاية فريق الخبراء إلى ما بعد عام 2021.", "ar"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["", "2021 74/247", "A/74/100"])
def test_language_unknown_for_too_little_text(text):
    assert detect_language(text) is None


def test_text_report_records_symbol_and_language_but_keeps_its_stem_id(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "E/CN.15/2021/1\n\nCommission on Crime Prevention and Criminal Justice\n\n"
        "II. Recommendations\n\n1. The Commission recalls resolution 74/247 (A/RES/74/247).\n",
        encoding="utf-8",
    )
    doc = parse_file(path)
    assert doc.doc_id == "report"
    assert doc.metadata["symbol"] == "E/CN.15/2021/1"
    assert doc.metadata["version_of"] == "E-CN.15-2021-1"
    assert doc.metadata["language"] == "en"


def test_symbol_only_in_body_is_ignored():
    doc = parse_text(
        "Note by the Secretariat\n\n1. The Assembly adopted resolution A/RES/74/247.\n", "d"
    )
    assert "symbol" not in doc.metadata
    assert "version_of" not in doc.metadata
