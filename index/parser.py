"""Parse report files into :class:`~index.model.Document` objects.

The first corpus is UN reports extracted from PDF to plain text: lines are hard-wrapped in
the middle of Chinese words, with blank lines and stray spaces between them. This module
turns such text (and Markdown) into numbered paragraphs with their heading path, so every
answer can cite ``doc_id#number``.

Two numbering modes:

* ``"numbered"``: the report prints paragraph numbers (``1. …``, ``2. …``). A line starts
  a paragraph only if its number is the next in sequence; blank lines are PDF artefacts,
  not boundaries.
* ``"blocks"``: no printed numbers; each blank-line block is a paragraph, numbered by
  position.

The document title is formed from the header: the body line followed by the document kind
lines, joined by one space (``"全面研究网络犯罪问题专家组 报告草稿 增编"``). Without a body or
kind, the first header line is the title, then the first heading, then the doc id.
"""

from __future__ import annotations

import codecs
import collections
import datetime as _dt
import functools
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import InvalidInputError, ParseError
from index.model import Document, Paragraph
from index.symbols import detect_language, find_symbol, symbol_doc_id, symbol_slug

__all__ = [
    "MAX_REPORT_BYTES",
    "SUPPORTED_SUFFIXES",
    "ExtractedReport",
    "SourceLine",
    "decode_report_bytes",
    "make_doc_id",
    "paragraph_to_dict",
    "parse_file",
    "parse_lines",
    "parse_text",
]

# The largest report file accepted (bytes). A file is read whole into memory and every
# paragraph embedded, so a larger one is refused before it is read; ingest's
# --max-report-bytes (REPORTQA_MAX_REPORT_BYTES) changes it.
MAX_REPORT_BYTES = 50 * 1024 * 1024

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9._-]+")
_DOC_ID_RULE = (
    "a doc id must start with a letter or digit and contain only letters, digits, "
    "'.', '_' or '-' (at most 128 characters, no '..')"
)

# Longest line still taken for a heading; longer lines are body text.
_MAX_HEADING_CHARS = 80
# A printed first paragraph number above this is more likely a year ("2019. …") than a
# paragraph; later numbers are only accepted in sequence, so they may grow past it.
_MAX_FIRST_NUMBER = 999
# A short line right after a heading is the heading's wrapped tail ("（续）").
_MAX_HEADING_TAIL_CHARS = 30

# --------------------------------------------------------------------------------------
# Character classes
# --------------------------------------------------------------------------------------

_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified ideographs
    (0xF900, 0xFAFF),  # Compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # Halfwidth and fullwidth forms
    (0x20000, 0x2FFFF),
)
# Punctuation that Chinese text uses but Latin text shares; they count as CJK only when
# the other side of the join is CJK too.
_SHARED_PUNCT = frozenset("“”‘’—…·")


def _is_cjk(ch: str) -> bool:
    if ch in _SHARED_PUNCT:
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def _is_fullwidth_punct(ch: str) -> bool:
    """CJK punctuation carries its own spacing, so no space is ever added next to it."""
    cp = ord(ch)
    if 0x3000 <= cp <= 0x303F or 0xFE30 <= cp <= 0xFE4F:
        return True
    # Fullwidth forms minus fullwidth digits and letters.
    return 0xFF00 <= cp <= 0xFF65 and not ch.isalnum()


def _is_ideograph(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or (0x20000 <= cp <= 0x2FFFF)
    )


def _separator(a: str, b: str) -> str:
    """What goes between wrapped fragments ending in ``a`` and starting with ``b``."""
    if (_is_cjk(a) and _is_cjk(b)) or _is_fullwidth_punct(a) or _is_fullwidth_punct(b):
        return ""
    return " "


def _join(left: str, right: str) -> str:
    """Join two wrapped fragments: no space inside CJK text, one space otherwise."""
    if not left:
        return right
    if not right:
        return left
    return left + _separator(left[-1], right[0]) + right


def _join_all(fragments: list[str]) -> str:
    """Join a paragraph's wrapped lines as :func:`_join` would, one after another.

    The pieces are collected and joined once: folding with :func:`_join` copies the
    growing text at every line, quadratic in the paragraph's length (a paragraph of 200,000
    hard-wrapped lines took a minute).
    """
    pieces: list[str] = []
    last = ""
    for fragment in fragments:
        if not fragment:
            continue
        if last:
            pieces.append(_separator(last, fragment[0]))
        pieces.append(fragment)
        last = fragment[-1]
    return "".join(pieces)


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def _clean_line(line: str) -> str:
    # Zero-width characters and soft hyphens are extraction noise that would split words.
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1c\x1d\x1e\x85")
_BINARY_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}) | {0x7F}


def _has_controls(text: str) -> bool:
    return any(
        (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) and ch not in _TEXT_CONTROLS for ch in text
    )


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _BINARY_BYTES)
    return controls > max(2, len(sample) // 20)


def _looks_utf16_without_bom(data: bytes) -> bool:
    """Whether NUL-bearing bytes are UTF-16 text saved without a byte-order mark.

    Such a file would otherwise be reported as binary. It is taken for UTF-16 when it
    decodes strictly, little- or big-endian, to text without control characters or
    private-use characters.
    """
    if b"\x00" not in data or len(data) % 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip() and not _has_controls(text) and not any(
                0xE000 <= ord(ch) <= 0xF8FF for ch in text):
            return True
    return False


# A byte that is not UTF-8, as decoding with errors="surrogateescape" leaves it.
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _plausible_gb18030(text: str) -> bool:
    """Whether a GB18030 decoding is real Chinese rather than mis-decoded Latin bytes.

    GB18030 accepts most byte sequences, so success alone proves nothing. Latin-1 or
    cp1252 bytes decode to rare characters outside GB2312 (their second byte is usually
    ASCII), while real Chinese text is overwhelmingly made of GB2312 characters. Two
    accented letters in a row do make a GB2312 character (``Réélu`` → ``R殚lu``), and
    Korean EUC-KR or Japanese EUC-JP bytes make nothing but GB2312 characters (사이버 →
    荤捞滚). What they make is a random draw from GB2312's 6,763, while Chinese text,
    prose, tables (``第 1 条``) or spaced out alike, is written mostly in its commonest
    characters: so at least :data:`_COMMON_SHARE` of the ideographs must be among the
    :data:`_COMMON_COUNT` commonest in jieba's dictionary (the seed report: 0.97;
    EUC-KR Korean 0.32, EUC-JP Japanese 0.36, ``R殚lu`` 0).
    """
    if _has_controls(text):
        return False
    ideographs = [ch for ch in text if _is_ideograph(ch)]
    if not ideographs:
        return False
    if any(0xE000 <= ord(ch) <= 0xF8FF for ch in text):
        return False
    common = 0
    for ch in ideographs:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    if common < 0.8 * len(ideographs):
        return False
    common_set = _common_characters()
    return sum(ch in common_set for ch in ideographs) >= _COMMON_SHARE * len(ideographs)


# A GB18030 reading must be written mostly in the commonest Chinese characters.
_COMMON_COUNT = 1500
_COMMON_SHARE = 0.6


@functools.cache
def _common_characters() -> frozenset[str]:
    """The :data:`_COMMON_COUNT` ideographs with the highest word frequencies in jieba's
    bundled dictionary (read once, ~0.4 s; only a report that is not UTF-8 needs it).
    """
    import jieba

    counts: collections.Counter[str] = collections.Counter()
    with jieba.dt.get_dict_file() as lines:
        for line in lines:
            word, frequency = line.decode("utf-8").split(" ")[:2]
            for ch in word:
                if _is_ideograph(ch):
                    counts[ch] += int(frequency)
    return frozenset(ch for ch, _ in counts.most_common(_COMMON_COUNT))


# The encodings a text report may be in, as the refusal names them.
_ACCEPTED_ENCODINGS = "UTF-8, UTF-16 or UTF-32 with a byte-order mark, GB18030"


def _not_utf8(data: bytes, name: str) -> ParseError:
    """The refusal of bytes that are not UTF-8, pointing at the first bad byte.

    A file that is mostly UTF-8 (as many valid non-ASCII characters as bad bytes, or no
    more than three bad bytes: a Latin-1 word or two cp1252 quotes pasted into a UTF-8
    report) gets the line and byte to fix; any other file is in an encoding not
    accepted at all, so the message says which ones are and how to convert it. Either
    way nothing is guessed: a guess silently garbles text (``Café`` → ``Cafť``).
    """
    # surrogateescape maps each bad byte to one lone surrogate U+DC80..U+DCFF.
    text = data.decode("utf-8", errors="surrogateescape")
    first = _BAD_BYTE.search(text)
    assert first is not None, "only called on bytes that are not UTF-8"
    line = text.count("\n", 0, first.start()) + 1
    byte = ord(first.group()) - 0xDC00
    bad = len(_BAD_BYTE.findall(text))
    valid = len(_NON_ASCII.findall(text)) - bad
    if valid >= bad or bad <= 3:
        return ParseError(f"{name}: not valid UTF-8 at line {line}, byte 0x{byte:02X}; "
                          f"save the file as UTF-8")
    return ParseError(f"{name}: not in an accepted encoding ({_ACCEPTED_ENCODINGS}); "
                      f"line {line} has byte 0x{byte:02X}, which is not UTF-8, and the file "
                      f"does not read as GB18030 Chinese; save the file as UTF-8 (e.g. "
                      f"iconv -f WINDOWS-1252 -t UTF-8, or -f BIG5, whichever it is in)")


def _empty(name: str) -> ParseError:
    return ParseError(f"{name}: the file is empty")


def decode_report_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a text report.

    Order: byte-order marks (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE); binary sniffing (NUL
    bytes or many control bytes); strict UTF-8; strict GB18030 when the result is
    plausible Chinese. Nothing else is guessed: a legacy encoding guessed from the bytes
    is wrong often enough to index garbled text (cp1252 quotes read as cp1250), so such a
    file is refused and the user saves it as UTF-8. UTF-16 and UTF-32 are only accepted
    with a BOM.

    Args:
        data: The raw file content.
        name: The file name, used as the prefix of every error message.

    Returns:
        The decoded text and the name of the encoding used.

    Raises:
        ParseError: The data is empty, binary, not in an accepted encoding, or mostly
            UTF-8 with some invalid bytes (the message gives the line and the byte).

    """
    if not data.strip():
        raise _empty(name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                if encoding == "utf-8-sig":
                    raise _not_utf8(data[len(bom) :], name) from exc
                raise ParseError(
                    f"{name}: cannot decode: starts with a {encoding} byte-order mark "
                    f"but is not valid {encoding} ({exc.reason} at byte {exc.start})"
                ) from exc
            if not text.strip():
                raise _empty(name)
            if "\x00" in text:
                raise ParseError(f"{name}: looks like a binary file, not a text report")
            return text, encoding
    if _looks_utf16_without_bom(data):
        raise ParseError(f"{name}: looks like UTF-16 text without a byte-order mark; save it "
                         f"as UTF-8 (or UTF-16 with a BOM)")
    if _looks_binary(data):
        raise ParseError(f"{name}: looks like a binary file, not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _plausible_gb18030(text):
            return text, "gb18030"
    raise _not_utf8(data, name)


# --------------------------------------------------------------------------------------
# Doc ids
# --------------------------------------------------------------------------------------


def _is_safe_id(doc_id: str) -> bool:
    return bool(_SAFE_ID.match(doc_id)) and ".." not in doc_id


def make_doc_id(stem: str) -> str:
    """Derive a safe document id from a file stem.

    A stem that already is a safe id is kept. Otherwise runs of unsafe characters become
    ``-`` and leading/trailing ``.``, ``_``, ``-`` are stripped. When nothing usable is
    left (e.g. a Chinese-only stem), the id is ``"doc-"`` plus the first 12 hex digits of
    the SHA-1 of the stem, so the same stem always gets the same id.

    Args:
        stem: File name without its suffix.

    Returns:
        An id matching ``^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$``.

    """
    if _is_safe_id(stem):
        return stem
    candidate = _UNSAFE_RUN.sub("-", stem)
    candidate = re.sub(r"\.{2,}", ".", candidate).strip("._-")[:128].rstrip("._-")
    # A leftover like "2" from "第2号" carries too little of the name to be recognisable,
    # but it is still a stable, safe id; only an empty remainder falls back to the hash.
    if candidate and _is_safe_id(candidate):
        return candidate
    return "doc-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]


def _check_doc_id(doc_id: str) -> str:
    if not isinstance(doc_id, str) or not _is_safe_id(doc_id):
        raise InvalidInputError(f"invalid doc id {doc_id!r}: {_DOC_ID_RULE}")
    return doc_id


# --------------------------------------------------------------------------------------
# Line classification
# --------------------------------------------------------------------------------------

# Up to nine digits: a paragraph past 9999 is a paragraph like any other (the sequence
# rule, not the digit count, keeps a year like "2021 年…" inside its paragraph), and the
# bound only keeps int() off an arbitrarily long digit run.
_PARA_START = re.compile(r"^(\d{1,9})\s*[.．](?!\d)\s*(.*)$")
_CN_NUMERALS = "一二三四五六七八九十百零〇"
_CHAPTER_CN = re.compile(rf"^[{_CN_NUMERALS}]+\s*[.．、]\s*\S")
_CHAPTER_CN_ORDINAL = re.compile(rf"^第[{_CN_NUMERALS}\d]+[章部编篇节]\s*\S?")
_ROMAN = re.compile(r"^([IVXLC]+)\s*[.．]\s+\S")
_VALID_ROMAN = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_LETTER = re.compile(r"^([A-Z])\s*[.．]\s+\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_BULLET = re.compile(r"^(?:[-*+]|>)\s+")
_SENTENCE_END = ("。", ".", "；", ";", "！", "!", "？", "?", "，", ",")
# How a finished sentence (or a list's introduction) ends.
_SENTENCE_CLOSE = ("。", ".", "；", ";", "！", "!", "？", "?", "：", ":")

# Single letters that are Roman numerals unless they continue a lettered run (H → I).
_ROMAN_OR_LETTER = {"I": "H", "V": "U", "X": "W"}


def _heading_level(line: str, markdown: bool, last_letter: str | None) -> tuple[int, str] | None:
    """Return (level, heading text) when the line is a heading, else None.

    Chapters (Chinese numerals, Roman numerals) are level 1 and lettered sections level
    2; ``#`` headings are at the level given by the number of ``#``. In Markdown only
    ``#`` headings count. Plain text may use them too (a "# Intro" line in a .txt report
    is a heading to its writer), but there, like every heading, only on a short line that
    does not end like a sentence: a hard-wrapped "# of cases rose." is body text.
    """
    match = _MD_HEADING.match(line)
    if markdown:
        if match and match.group(2):
            return len(match.group(1)), _clean_line(match.group(2))
        return None
    if len(line) > _MAX_HEADING_CHARS or line.endswith(("。", ".", "；", ";")):
        return None
    if match:
        return (len(match.group(1)), _clean_line(match.group(2))) if match.group(2) else None
    if _CHAPTER_CN.match(line) or _CHAPTER_CN_ORDINAL.match(line):
        return 1, line
    roman = _ROMAN.match(line)
    if roman and _VALID_ROMAN.match(roman.group(1)):
        numeral = roman.group(1)
        letter_run = len(numeral) == 1 and (
            numeral not in _ROMAN_OR_LETTER or last_letter == _ROMAN_OR_LETTER[numeral]
        )
        if not letter_run:
            return 1, line
    if _LETTER.match(line):
        return 2, line
    return None


def _para_start(line: str) -> tuple[int, str] | None:
    match = _PARA_START.match(line)
    if not match:
        return None
    return int(match.group(1)), match.group(2)


class _Headings:
    """The heading path as a stack of (level, text)."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> None:
        # A heading closes every heading at its level or below (a chapter resets sections).
        self.stack = [(lvl, t) for lvl, t in self.stack if lvl < level]
        self.stack.append((level, text))

    def extend_last(self, tail: str) -> None:
        level, text = self.stack[-1]
        self.stack[-1] = (level, _join(text, tail))

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)

    @property
    def last_letter(self) -> str | None:
        # Only a lettered section continues a letter run: after "## Hello", "I." is a
        # chapter, not the section after H.
        if self.stack and self.stack[-1][0] == 2 and _LETTER.match(self.stack[-1][1]):
            return self.stack[-1][1][0]
        return None


# --------------------------------------------------------------------------------------
# Header metadata
# --------------------------------------------------------------------------------------

_CN_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*[至到~～\-–—]\s*(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日)?"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_RANGE_SEP = r"\s*(?:[-–—]|to)\s*"
_EN_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:\s+(?P<m1>{_MONTH_RE}))?(?:{_RANGE_SEP}\d{{1,2}})?"
    rf"\s+(?P<m>{_MONTH_RE})\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_EN_MDY = re.compile(
    rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:{_RANGE_SEP}(?:{_MONTH_RE}\s+)?\d{{1,2}})?"
    rf",?\s+(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
_KINDS_CN = (
    "报告草稿",
    "报告",
    "增编",
    "更正",
    "订正",
    "修订",
    "秘书处的说明",
    "秘书处说明",
    "说明",
    "临时议程",
    "议程",
    "决议草案",
    "决定草案",
    "工作文件",
    "会议室文件",
)
_KINDS_EN = (
    "draft report",
    "report",
    "addendum",
    "corrigendum",
    "revision",
    "note by the secretariat",
    "report of the secretary-general",
    "provisional agenda",
    "annotated provisional agenda",
    "draft resolution",
    "draft decision",
    "working paper",
    "conference room paper",
)
_KIND_RE = re.compile(
    r"^(?:" + "|".join(re.escape(k) for k in _KINDS_CN + _KINDS_EN) + r")(?:\s*\d+)?$",
    re.IGNORECASE,
)
_SYMBOL_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:\.\d+)?(?:/[A-Za-z0-9.()-]+){2,}$")
_DISTRIBUTION_RE = re.compile(
    r"^(?:distr\.?[:：]?.*|general|limited|restricted|original[:：].*|"
    r"chinese|english|french|spanish|russian|arabic|中文|英文|"
    r"\d{1,2}\s+\w+\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"united nations|联合国|[A-Z]\.\d{2}-\d{5}.*|\d{1,2}/\d{1,2}|page \d+.*)$",
    re.IGNORECASE,
)
_PLACE_TRIM = "，,；;:： "


def _match_date(line: str) -> tuple[re.Match[str], str | None] | None:
    """Find a printed date; return the match and the ISO start date when valid."""
    match = _CN_DATE.search(line)
    if match:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        match = _EN_DMY.search(line) or _EN_MDY.search(line)
        if not match:
            return None
        groups = match.groupdict()
        month_name = (groups.get("m1") or groups["m"]).lower().rstrip(".")
        year, month, day = int(match["y"]), _MONTHS[month_name], int(match["d"])
    try:
        iso = _dt.date(year, month, day).isoformat()
    except ValueError:
        iso = None
    return match, iso


def _header_metadata(lines: list[str]) -> dict[str, Any]:
    """Classify header lines into body, date, place, kind and symbol."""
    meta: dict[str, Any] = {}
    kinds: list[str] = []
    for line in lines:
        found = _match_date(line)
        if found is not None and "date" not in meta:
            match, iso = found
            meta["date"] = _clean_line(match.group(0))
            if iso:
                meta["date_iso"] = iso
            place = (line[: match.start()] + " " + line[match.end() :]).strip(_PLACE_TRIM)
            # The rest of a date line is the place ("…，维也纳"), unless it is a
            # distribution marker such as "Distr.: General".
            if (
                place
                and "place" not in meta
                and len(place) <= 40
                and not _DISTRIBUTION_RE.match(place)
                and not place.lower().startswith("distr")
            ):
                meta["place"] = _clean_line(place)
            continue
        if _KIND_RE.match(line):
            kinds.append(line)
            continue
        if _SYMBOL_RE.match(line):
            meta.setdefault("symbol", line)
            continue
        if _DISTRIBUTION_RE.match(line):
            continue
        meta.setdefault("body", line)
    if kinds:
        meta["kind"] = kinds
    if lines:
        meta["header"] = list(lines)
    return meta


def _is_known_header_line(line: str) -> bool:
    return bool(
        _match_date(line)
        or _KIND_RE.match(line)
        or _SYMBOL_RE.match(line)
        or _DISTRIBUTION_RE.match(line)
    )


def _is_header_like(line: str) -> bool:
    return _is_known_header_line(line) or (
        len(line) <= _MAX_HEADING_CHARS and not line.endswith(_SENTENCE_END)
    )


def _title(meta: dict[str, Any], first_heading: str | None, doc_id: str) -> str:
    parts = ([meta["body"]] if "body" in meta else []) + list(meta.get("kind", []))
    if parts:
        return " ".join(parts)
    if meta.get("header"):
        return str(meta["header"][0])
    return first_heading or doc_id


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceLine:
    """One line of a report as a reader extracted it, before paragraphs are formed.

    Attributes:
        text: The line text; an empty string is a blank line.
        page: The page the line is printed on (PDF), else None.
        heading: A heading level the source marks explicitly (a Word heading style);
            None lets the heading patterns decide.
    """

    text: str
    page: int | None = None
    heading: int | None = None


# One parsed paragraph: number, heading path, text fragments, index of its first line.
_Parsed = tuple[int, tuple[str, ...], list[str], int]


class _Lines:
    """The cleaned lines of a report with what the reader knew about each."""

    def __init__(self, lines: Sequence[SourceLine], markdown: bool, heading_tails: bool) -> None:
        self.texts = [_clean_line(line.text) for line in lines]
        if markdown:
            self.texts = [
                _MD_BULLET.sub("", text) if not text.startswith("#") else text
                for text in self.texts
            ]
        self.pages = [line.page for line in lines]
        self.forced = {
            index: line.heading for index, line in enumerate(lines) if line.heading is not None
        }
        self.markdown = markdown
        # Wrapped heading tails exist only where lines were hard-wrapped (text, PDF).
        self.heading_tails = heading_tails and not markdown

    def may_wrap(self, index: int) -> bool:
        """Whether the heading on this line may go on in a short next line (its tail).

        Only where lines were hard-wrapped, and never for a ``#`` heading, which is one
        line by definition.
        """
        return self.heading_tails and not _MD_HEADING.match(self.texts[index])

    def _may_open(self, index: int) -> bool:
        """Whether a plain-text ``#`` line at ``index`` may be a heading: what comes
        before it (and before the ``#`` lines right above it, "# Report" over "##
        Summary") is the start of the text, a heading, or a finished sentence. "…counts
        the" over "# of cases reported…" goes on a sentence, with or without the blank
        lines that pdftotext puts between wrapped lines.
        """
        before = index - 1
        while before >= 0 and (not self.texts[before] or _MD_HEADING.match(self.texts[before])):
            before -= 1
        if before < 0:
            return True
        previous = self.texts[before]
        return (previous.endswith(_SENTENCE_CLOSE)
                or _heading_level(previous, self.markdown, None) is not None)

    def heading(self, index: int, last_letter: str | None) -> tuple[int, str] | None:
        line = self.texts[index]
        if index in self.forced:
            return (self.forced[index], line) if line else None
        if not self.markdown and _MD_HEADING.match(line) and not self._may_open(index):
            return None
        return _heading_level(line, self.markdown, last_letter)


def _find_first_paragraph(lines: _Lines) -> int | None:
    headings = _Headings()
    for index, line in enumerate(lines.texts):
        if not line:
            continue
        heading = lines.heading(index, headings.last_letter)
        if heading:
            headings.push(*heading)
            continue
        start = _para_start(line)
        if start and 1 <= start[0] <= _MAX_FIRST_NUMBER:
            return index
    return None


def _split_header(lines: _Lines, numbered: bool) -> int:
    """Return the index of the first line after the header.

    The header is the run of header-like lines (short, or a recognised date/kind/symbol
    line) before the first heading or paragraph start.
    """
    end = 0
    for index, line in enumerate(lines.texts):
        if not line:
            continue
        if lines.heading(index, None) or (numbered and _para_start(line)):
            return index
        if not _is_header_like(line):
            return index
        end = index + 1
    return end


def _parse_numbered(lines: _Lines, start: int) -> tuple[list[_Parsed], str | None]:
    headings = _Headings()
    first_heading: str | None = None
    paragraphs: list[_Parsed] = []
    # Set right after a heading, until the next non-blank line: a short line there is the
    # heading's wrapped tail. Blank lines do not clear it (they are PDF artefacts here).
    after_heading = False
    for index in range(start, len(lines.texts)):
        line = lines.texts[index]
        if not line:
            continue
        expected = paragraphs[-1][0] + 1 if paragraphs else None
        begin = _para_start(line) if index not in lines.forced else None
        if begin and (
            begin[0] == expected or (expected is None and 1 <= begin[0] <= _MAX_FIRST_NUMBER)
        ):
            paragraphs.append((begin[0], headings.path, [begin[1]] if begin[1] else [], index))
            after_heading = False
            continue
        heading = lines.heading(index, headings.last_letter)
        if heading:
            headings.push(*heading)
            first_heading = first_heading or heading[1]
            after_heading = lines.may_wrap(index)
            continue
        if after_heading and _is_heading_tail(headings, line):
            headings.extend_last(line)
            after_heading = False
            continue
        after_heading = False
        if paragraphs:
            paragraphs[-1][2].append(line)
        # Text before the first paragraph that is neither header nor heading is dropped.
    return paragraphs, first_heading


def _is_heading_tail(headings: _Headings, line: str) -> bool:
    return (
        bool(headings.stack)
        and len(line) <= _MAX_HEADING_TAIL_CHARS
        and len(headings.stack[-1][1]) + len(line) <= _MAX_HEADING_CHARS
        and not line.endswith(_SENTENCE_END)
        and _para_start(line) is None
    )


def _parse_blocks(lines: _Lines, start: int) -> tuple[list[_Parsed], str | None]:
    headings = _Headings()
    first_heading: str | None = None
    paragraphs: list[_Parsed] = []
    block: list[str] = []
    block_path: tuple[str, ...] = ()
    block_start = start
    # Only a line directly below a heading (no blank line) can be its wrapped tail: here a
    # blank line is a real boundary.
    after_heading = False

    def flush() -> None:
        if block:
            paragraphs.append((len(paragraphs) + 1, block_path, list(block), block_start))
            block.clear()

    for index in range(start, len(lines.texts)):
        line = lines.texts[index]
        if not line:
            flush()
            after_heading = False
            continue
        heading = lines.heading(index, headings.last_letter)
        if heading:
            flush()
            headings.push(*heading)
            first_heading = first_heading or heading[1]
            after_heading = lines.may_wrap(index)
            continue
        if after_heading and _is_heading_tail(headings, line):
            headings.extend_last(line)
            after_heading = False
            continue
        after_heading = False
        if not block:
            block_path = headings.path
            block_start = index
        block.append(line)
    flush()
    return paragraphs, first_heading


def parse_text(
    text: str, doc_id: str, *, source: str | None = None, markdown: bool = False
) -> Document:
    """Parse the text of a report into a document.

    Args:
        text: The decoded report text.
        doc_id: Document id; must match ``^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$``.
        source: File path or other origin, recorded as ``metadata["source"]`` and used to
            name the document in error messages (else the doc id is used).
        markdown: Treat the text as Markdown: ``#`` headings form the section path and
            leading bullet markers are dropped.

    Returns:
        The document with its paragraphs in order and header metadata.

    Raises:
        InvalidInputError: ``doc_id`` is not a safe id.
        ParseError: The text holds no paragraphs.

    """
    lines = [SourceLine(line) for line in text.splitlines()]
    return parse_lines(lines, doc_id, source=source, markdown=markdown)


def parse_lines(
    lines: Sequence[SourceLine],
    doc_id: str | None,
    *,
    fallback_doc_id: str | None = None,
    source: str | None = None,
    markdown: bool = False,
    heading_tails: bool = True,
    extra_header: Sequence[str] = (),
) -> Document:
    """Parse extracted lines into a document: the core every reader shares.

    The text, PDF and Word readers all reduce a file to lines, so the paragraph sequence
    rule, headings, header split and line joining are the same for every format.

    Args:
        lines: The lines in reading order, with their page and any explicit heading level.
        doc_id: Document id; None derives it from the document symbol found in the header
            (``slug(symbol).language``, see :func:`index.symbols.symbol_doc_id`).
        fallback_doc_id: The id when ``doc_id`` is None and the header has no symbol
            (the file stem's id).
        source: File path or other origin, recorded as ``metadata["source"]`` and used to
            name the document in error messages (else the doc id is used).
        markdown: Treat the text as Markdown: ``#`` headings form the section path and
            leading bullet markers are dropped.
        heading_tails: Whether a short line after a heading may be its wrapped tail (true
            for hard-wrapped text and PDF, false for Word, whose paragraphs are whole).
        extra_header: Header text the lines do not hold (page headers removed from PDF
            pages, Word page headers), searched for the document symbol before the header
            lines; body text is never searched.

    Returns:
        The document; ``metadata`` holds the header facts plus ``language`` and, when a
        symbol is found, ``symbol`` and ``version_of`` (the slug of the symbol, shared by
        all language versions). Paragraphs carry the page of their first line.

    Raises:
        InvalidInputError: ``doc_id`` is not a safe id.
        ParseError: The text holds no paragraphs, or no id was given and none could be
            derived.

    """
    if doc_id is not None:
        _check_doc_id(doc_id)
    if fallback_doc_id is not None:
        _check_doc_id(fallback_doc_id)
    name = source or doc_id or fallback_doc_id or "document"
    parsed_lines = _Lines(lines, markdown, heading_tails)
    texts = parsed_lines.texts
    first_para = _find_first_paragraph(parsed_lines)
    numbered = first_para is not None
    header_end = _split_header(parsed_lines, numbered)
    if numbered:
        parsed, first_heading = _parse_numbered(parsed_lines, header_end)
    else:
        parsed, first_heading = _parse_blocks(parsed_lines, header_end)
        if not parsed:
            # Everything looked like a header (short lines only): keep as header only the
            # lines positively recognised as header facts, the rest are the paragraphs.
            header_end = 0
            for index, line in enumerate(texts):
                if line and not _is_known_header_line(line):
                    header_end = index
                    break
            parsed, first_heading = _parse_blocks(parsed_lines, header_end)
    parsed = [item for item in parsed if item[2] or numbered]
    if not parsed:
        raise ParseError(f"{name}: no paragraphs found")

    header = [line for line in texts[:header_end] if line]
    metadata = _header_metadata(header)
    metadata["numbering"] = "numbered" if numbered else "blocks"
    if source is not None:
        metadata["source"] = source
    texts_joined = [_join_all(frags) for _, _, frags, _ in parsed]
    language = detect_language("\n".join(texts_joined))
    if language is not None:
        metadata["language"] = language
    symbol = find_symbol([*extra_header, *header]) or metadata.get("symbol")
    if symbol is not None:
        metadata["symbol"] = symbol
        metadata["version_of"] = symbol_slug(symbol)
    if doc_id is None and symbol is not None:
        derived = symbol_doc_id(symbol, language)
        doc_id = derived if _is_safe_id(derived) else fallback_doc_id
    doc_id = doc_id or fallback_doc_id
    if doc_id is None:
        raise ParseError(f"{name}: no document symbol in the header to name it by")
    paragraphs = [
        Paragraph(
            doc_id=doc_id,
            number=number,
            section=path,
            text=text,
            page=parsed_lines.pages[start],
        )
        for (number, path, _, start), text in zip(parsed, texts_joined, strict=True)
    ]
    metadata["paragraph_count"] = len(paragraphs)
    return Document(
        doc_id=doc_id,
        title=_title(metadata, first_heading, doc_id),
        metadata=metadata,
        paragraphs=paragraphs,
    )


# --------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ParseError(f"{path}: cannot read the file: {reason}") from exc


@dataclass
class ExtractedReport:
    """What a PDF or Word reader extracted from one file, before parsing.

    Attributes:
        lines: Body lines in reading order, page furniture and footnotes removed.
        header: Header text outside ``lines`` (running page headers, Word page headers),
            searched for the document symbol.
        footnotes: Footnotes as ``{"page", "marker", "text"}`` dicts, in order.
        metadata: Extra facts for ``Document.metadata`` (``format``, ``page_count``).
        heading_tails: Whether headings may wrap onto a second line (PDF: yes).
    """

    lines: list[SourceLine]
    header: list[str] = field(default_factory=list)
    footnotes: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    heading_tails: bool = True


def _read_plain(path: Path, doc_id: str | None) -> Document:
    text, encoding = decode_report_bytes(_read_bytes(path), str(path))
    document = parse_text(text, doc_id or make_doc_id(path.stem), source=str(path))
    document.metadata["encoding"] = encoding
    return document


def _read_markdown(path: Path, doc_id: str | None) -> Document:
    text, encoding = decode_report_bytes(_read_bytes(path), str(path))
    document = parse_text(text, doc_id or make_doc_id(path.stem), source=str(path), markdown=True)
    document.metadata["encoding"] = encoding
    return document


def _parse_extracted(path: Path, doc_id: str | None, report: ExtractedReport) -> Document:
    document = parse_lines(
        report.lines,
        doc_id,
        fallback_doc_id=make_doc_id(path.stem),
        source=str(path),
        heading_tails=report.heading_tails,
        extra_header=report.header,
    )
    document.metadata.update(report.metadata)
    document.metadata["footnotes"] = report.footnotes
    return document


def _read_pdf(path: Path, doc_id: str | None) -> Document:
    # Imported lazily: pdfplumber is heavy and only needed for PDF files.
    from index.pdf import extract_pdf

    return _parse_extracted(path, doc_id, extract_pdf(path))


def _read_docx(path: Path, doc_id: str | None) -> Document:
    from index.docx import extract_docx

    return _parse_extracted(path, doc_id, extract_docx(path))


# One reader per suffix. A reader gets None for the doc id when none was given: text
# files then use the file stem, PDF and Word files the document symbol and language.
_READERS: dict[str, Callable[[Path, str | None], Document]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)


def parse_file(path: str | os.PathLike[str], doc_id: str | None = None, *,
               max_bytes: int | None = MAX_REPORT_BYTES) -> Document:
    """Read and parse a report file.

    Args:
        path: The report file; its suffix selects the reader (``.txt``, ``.md``,
            ``.markdown``, ``.pdf``, ``.docx``).
        doc_id: Document id. Defaults to :func:`make_doc_id` of the file stem for text
            files; for PDF and Word files to ``slug(symbol).language`` when the header
            carries a UN document symbol (``A-RES-74-247.en``), else the stem's id.
        max_bytes: Refuse a larger file before reading it (None: no limit).

    Returns:
        The parsed document. ``metadata`` records ``source``, ``language`` when
        detected, ``symbol`` and ``version_of`` when the header has a symbol, and
        ``encoding`` (text files) or ``format``, ``page_count`` and ``footnotes`` (PDF
        and Word files). PDF paragraphs carry the page they start on.

    Raises:
        InvalidInputError: An explicit ``doc_id`` is not a safe id (the message starts
            with the file name).
        ParseError: Unsupported suffix; file over ``max_bytes``; unreadable, empty,
            binary or undecodable file;
            corrupt, encrypted or image-only PDF; corrupt Word file; or no paragraphs.
            The message starts with the file name.

    """
    file_path = Path(path)
    reader = _READERS.get(file_path.suffix.lower())
    if reader is None:
        accepted = ", ".join(SUPPORTED_SUFFIXES)
        shown = file_path.suffix or "no suffix"
        raise ParseError(f"{file_path}: unsupported file type ({shown}); accepted: {accepted}")
    if doc_id is not None:
        try:
            _check_doc_id(doc_id)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{file_path}: {exc}") from None
    if max_bytes is not None:
        try:
            size = file_path.stat().st_size
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise ParseError(f"{file_path}: cannot read the file: {reason}") from exc
        if size > max_bytes:
            raise ParseError(
                f"{file_path}: the file is {size:,} bytes, over the limit of {max_bytes:,} "
                f"bytes for one report (--max-report-bytes, REPORTQA_MAX_REPORT_BYTES)"
            )
    return reader(file_path, doc_id)


def paragraph_to_dict(p: Paragraph) -> dict[str, Any]:
    """Render a paragraph as a JSON-ready dict (one line of ``parse --json``).

    Args:
        p: The paragraph.

    Returns:
        A dict with ``id`` (the citation id), ``doc_id``, ``paragraph``, ``section``
        (list), ``text`` and ``page``.

    """
    return {
        "id": p.citation_id,
        "doc_id": p.doc_id,
        "paragraph": p.number,
        "section": list(p.section),
        "text": p.text,
        "page": p.page,
    }
