"""UN document identity: the document symbol and the language of one version.

A UN report is published once per official language (ar, en, es, fr, ru, zh), every
version under the same document symbol (``A/RES/74/247``, ``E/CN.15/2021/1``) and with the
same paragraph numbers. The symbol therefore names the report, the language names the
version: ``doc_id = slug(symbol) + "." + language`` keeps versions apart in the index, and
``metadata["version_of"] = slug(symbol)`` links them, so ``doc#13`` in one version is
``other_version#13`` in every other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "LANGUAGES",
    "detect_language",
    "find_symbol",
    "find_symbols",
    "is_symbol",
    "symbol_doc_id",
    "symbol_slug",
]

LANGUAGES: tuple[str, ...] = ("ar", "en", "es", "fr", "ru", "zh")

# One element between slashes: a series or organ ("RES", "CN.15", "EG.4", "L.1",
# "Add.1", "Rev.2", "C.3", "WP.5") or a number/session ("74", "2020").
_ELEMENT = r"(?:[A-Z][A-Za-z]{0,11}(?:\.\d{1,4}[A-Za-z]?)*|\d{1,5}(?:\.\d{1,4})*[A-Za-z]?)"
# The first element is the issuing organ in capitals (A, E, S, ST, UNODC, CTOC, CAC…).
_SYMBOL = re.compile(
    rf"(?<![\w/.])(?P<symbol>[A-Z]{{1,10}}(?:\.\d{{1,4}})?(?:/{_ELEMENT}){{2,}})(?![\w/])"
)
_WHOLE_SYMBOL = re.compile(rf"^[A-Z]{{1,10}}(?:\.\d{{1,4}})?(?:/{_ELEMENT}){{2,}}$")
# A symbol inside brackets in the header is a reference ("[on the report of the Third
# Committee (A/74/399)]"), not the document's own symbol.
_OPENERS = "([（［"


def is_symbol(text: str) -> bool:
    """Whether the whole text is one UN document symbol.

    Args:
        text: Candidate text, e.g. ``"A/RES/74/247"``.

    Returns:
        True for a symbol of at least three slash-separated elements that contains a digit
        (``"A/74/100"``, ``"E/CN.15/2021/1"``); False for ``"74/247"`` or ``"and/or"``.

    """
    text = text.strip()
    return bool(_WHOLE_SYMBOL.match(text)) and any(ch.isdigit() for ch in text)


def find_symbols(line: str) -> list[str]:
    """Return the document symbols printed in one line, outside brackets.

    Args:
        line: A line of text.

    Returns:
        The symbols in order of appearance; a trailing ``.`` or ``,`` is not part of one.

    """
    found: list[str] = []
    for match in _SYMBOL.finditer(line):
        symbol = match["symbol"].rstrip(".,")
        before = line[: match.start()].rstrip()
        if before.endswith(tuple(_OPENERS)) or before.count("(") > before.count(")"):
            continue
        if any(ch.isdigit() for ch in symbol):
            found.append(symbol)
    return found


def find_symbol(header_lines: Iterable[str]) -> str | None:
    """Return the document's own symbol from the lines of its header region.

    Only pass the header region (the lines above the first heading or paragraph on the
    first page, running headers, Word page headers): a symbol cited in the body, such as
    ``A/RES/74/247`` in "resolution 74/247 (A/RES/74/247)", names another document.

    Args:
        header_lines: Header lines in reading order.

    Returns:
        The first symbol found, or None.

    """
    for line in header_lines:
        symbols = find_symbols(line)
        if symbols:
            return symbols[0]
    return None


_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9.]+")


def symbol_slug(symbol: str) -> str:
    """Turn a symbol into a safe, stable id fragment.

    Slashes and any other character outside ``[A-Za-z0-9.]`` become ``-``:
    ``UNODC/CCPCJ/EG.4/2020/L.1/Add.1`` → ``UNODC-CCPCJ-EG.4-2020-L.1-Add.1``.

    Args:
        symbol: A document symbol.

    Returns:
        The slug; the same symbol always gives the same slug.

    """
    slug = _SLUG_UNSAFE.sub("-", symbol.strip())
    slug = re.sub(r"\.{2,}", ".", slug)
    return slug.strip(".-")[:120].rstrip(".-")


def symbol_doc_id(symbol: str, language: str | None) -> str:
    """Return the doc id of one language version: ``slug(symbol) + "." + language``.

    Args:
        symbol: The document symbol.
        language: The version's language code, or None when unknown.

    Returns:
        ``"A-RES-74-247.zh"``, or the bare slug when the language is unknown.

    """
    slug = symbol_slug(symbol)
    return f"{slug}.{language}" if language else slug


# --------------------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------------------

# Function words that are frequent in one Latin-script UN language and rare in the other
# two ("de", "la", "en", "que" are shared by French and Spanish, so they are left out).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to in that is for on with as by be are was were this which from "
        "it its an or has have should shall would been".split()
    ),
    "fr": frozenset(
        "le les des et du une pour dans est sur au aux qui avec ont été cette ces "
        "sont par il elle doit être".split()
    ),
    "es": frozenset(
        "el los las y del una para por con se su sus fue ha han este esta como sobre "
        "debe ser entre".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]+")


def _script_counts(text: str) -> dict[str, int]:
    counts = {"han": 0, "arabic": 0, "cyrillic": 0, "latin": 0}
    for ch in text:
        cp = ord(ch)
        if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
            counts["han"] += 1
        elif 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFEFF:
            counts["arabic"] += 1
        elif 0x0400 <= cp <= 0x04FF:
            counts["cyrillic"] += 1
        elif ch.isascii() and ch.isalpha() or 0x00C0 <= cp <= 0x024F:
            counts["latin"] += 1
    return counts


def detect_language(text: str) -> str | None:
    """Detect which UN official language a text is written in.

    The script decides Chinese (Han), Arabic and Russian (Cyrillic); among Latin-script
    texts, counts of frequent function words separate English, French and Spanish. A
    Chinese report cites Latin symbols and names, so scripts are weighed per word: one
    Han character counts like one Latin or Cyrillic word of about four letters.

    Args:
        text: Body text of the version (the more, the surer).

    Returns:
        One of :data:`LANGUAGES`, or None when the text has too few letters to tell or no
        Latin function words decide it.

    """
    counts = _script_counts(text)
    weights = {
        "zh": counts["han"] * 2.0,
        "ar": counts["arabic"] / 4.0,
        "ru": counts["cyrillic"] / 4.0,
        "latin": counts["latin"] / 4.0,
    }
    best = max(weights, key=lambda key: weights[key])
    if weights[best] < 2:
        return None
    if best != "latin":
        return best
    scores = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text.lower()):
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                scores[language] += 1
    language = max(scores, key=lambda key: scores[key])
    return language if scores[language] > 0 else None
