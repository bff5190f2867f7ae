"""Read a Word (.docx) report into lines for the shared parser.

Each Word paragraph becomes one line followed by a blank line, so the text parser's rules
apply unchanged: in a report with printed paragraph numbers, a paragraph starts at the
next number in sequence; otherwise each Word paragraph is a block. Word page headers and
footers live outside the body and so never reach the paragraphs; the page headers are
searched for the document symbol. Footnotes live in their own part and are returned
apart.

Word's automatic list numbering (``w:numPr`` on the paragraph or its style) is not in the
text, so it is rendered here: a paragraph on a plain decimal level (``1.``, ``2)``) is
written as ``"N. text"`` and takes part in the paragraph sequence; other levels keep their
label (``(a)``, ``i.``). Counters follow the abstract numbering definition, so list
instances that share it continue one another unless a ``w:startOverride`` restarts them.
Headings come from heading styles (``Heading 1`` → level 1) or an outline level, else
from the same heading patterns as text files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from index.errors import ParseError
from index.parser import ExtractedReport, SourceLine, _clean_line, _join, _read_bytes

__all__ = ["extract_docx"]

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%([1-9])")
_CN_DIGITS = "零一二三四五六七八九"
_SKIPPED_FOOTNOTE_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _to_roman(number: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out += numeral
            number -= value
    return out


def _to_letters(number: int) -> str:
    # Word repeats the letter after z: 27 → "aa".
    letter = chr(ord("a") + (number - 1) % 26)
    return letter * ((number - 1) // 26 + 1)


def _to_chinese(number: int) -> str:
    if number < 10:
        return _CN_DIGITS[number]
    if number < 100:
        tens, units = divmod(number, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")
    return str(number)


def _format_number(number: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _to_roman(number)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letters = _to_letters(number)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt.startswith(("chineseCounting", "ideograph", "japaneseCounting", "taiwanese")):
        return _to_chinese(number)
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


class _Numbering:
    """Word list numbering: definitions and the running counters."""

    def __init__(self, document: Any) -> None:
        # numId → (abstractNumId, {ilvl: startOverride})
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        # abstractNumId → {ilvl: (numFmt, lvlText, start)}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.seen: set[tuple[str, int]] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        val = _qn("w:val")
        for abstract in root.findall(_qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.findall(_qn("w:lvl")):
                fmt = lvl.find(_qn("w:numFmt"))
                text = lvl.find(_qn("w:lvlText"))
                start = lvl.find(_qn("w:start"))
                levels[int(lvl.get(_qn("w:ilvl"), "0"))] = (
                    fmt.get(val, "decimal") if fmt is not None else "decimal",
                    text.get(val, "") if text is not None else "",
                    int(start.get(val, "1")) if start is not None else 1,
                )
            self.levels[abstract.get(_qn("w:abstractNumId"), "")] = levels
        for num in root.findall(_qn("w:num")):
            abstract_id = num.find(_qn("w:abstractNumId"))
            if abstract_id is None:
                continue
            overrides: dict[int, int] = {}
            for override in num.findall(_qn("w:lvlOverride")):
                start = override.find(_qn("w:startOverride"))
                if start is not None:
                    overrides[int(override.get(_qn("w:ilvl"), "0"))] = int(start.get(val, "1"))
            self.instances[num.get(_qn("w:numId"), "")] = (abstract_id.get(val, ""), overrides)

    def next_label(self, num_id: str, level: int) -> tuple[str, int | None]:
        """Advance the list and return (label, paragraph number or None).

        The number is set only for a plain decimal level with a single placeholder, the
        kind of list UN reports number their paragraphs with.
        """
        if num_id not in self.instances:
            return "", None
        abstract_id, overrides = self.instances[num_id]
        levels = self.levels.get(abstract_id, {})
        fmt, text, start = levels.get(level, ("decimal", f"%{level + 1}.", 1))
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if level in overrides and (num_id, level) not in self.seen:
            counters[level] = overrides[level]
        else:
            current = counters[level]
            counters[level] = start if current is None else current + 1
        self.seen.add((num_id, level))
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        if fmt in ("bullet", "none"):
            return "", None

        def render(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            value = counters[index]
            if value is None:
                value = levels.get(index, ("decimal", "", 1))[2]
            return _format_number(value, levels.get(index, (fmt, "", 1))[0])

        label = _PLACEHOLDER.sub(render, text).strip()
        placeholders = _PLACEHOLDER.findall(text)
        number = counters[level]
        if fmt in ("decimal", "decimalZero") and placeholders == [str(level + 1)]:
            return label, number
        return label, None


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """The list (numId, level) of a paragraph, from itself or its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    num_id = num_pr.numId.val if num_pr is not None and num_pr.numId is not None else None
    level = num_pr.ilvl.val if num_pr is not None and num_pr.ilvl is not None else None
    style = paragraph.style
    while (num_id is None or level is None) and style is not None:
        style_pr = style.element.pPr
        style_num = style_pr.numPr if style_pr is not None else None
        if style_num is not None:
            if num_id is None and style_num.numId is not None:
                num_id = style_num.numId.val
            if level is None and style_num.ilvl is not None:
                level = style_num.ilvl.val
        style = style.base_style
    if num_id is None or str(num_id) == "0":
        return None
    return str(num_id), int(level or 0)


def _heading_level(paragraph: Any) -> int | None:
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1))
        style = style.base_style
    for p_pr in (paragraph._p.pPr, paragraph.style.element.pPr if paragraph.style else None):
        if p_pr is None:
            continue
        outline = p_pr.find(_qn("w:outlineLvl"))
        if outline is not None:
            value = int(outline.get(_qn("w:val"), "9"))
            return value + 1 if value < 9 else None
    return None


def _block_lines(item: Any) -> list[Any]:
    """The paragraphs of a body item: itself, or every cell paragraph of a table."""
    from docx.table import Table

    if not isinstance(item, Table):
        return [item]
    paragraphs: list[Any] = []
    seen: set[int] = set()
    for row in item.rows:
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            paragraphs.extend(cell.paragraphs)
    return paragraphs


def _header_text(document: Any) -> list[str]:
    texts: list[str] = []
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.insert(0, section.first_page_header)
        for header in headers:
            for item in header.iter_inner_content():
                texts.extend(p.text for p in _block_lines(item) if p.text.strip())
    return texts


def _footnotes(document: Any) -> list[dict[str, Any]]:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    part = next(
        (
            rel.target_part
            for rel in document.part.rels.values()
            if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external
        ),
        None,
    )
    if part is None:
        return []
    root = getattr(part, "element", None)
    if root is None:
        root = etree.fromstring(part.blob)
    notes: dict[str, str] = {}
    for note in root.findall(_qn("w:footnote")):
        if note.get(_qn("w:type")) in _SKIPPED_FOOTNOTE_TYPES:
            continue
        text = ""
        for paragraph in note.iter(_qn("w:p")):
            line = _clean_line("".join(t.text or "" for t in paragraph.iter(_qn("w:t"))))
            text = _join(text, line)
        notes[note.get(_qn("w:id"), "")] = text
    # Word numbers footnotes by the order of their references in the body.
    footnotes: list[dict[str, Any]] = []
    for reference in document.element.body.iter(_qn("w:footnoteReference")):
        note_id = reference.get(_qn("w:id"), "")
        if note_id in notes:
            marker = str(len(footnotes) + 1)
            footnotes.append({"page": None, "marker": marker, "text": notes.pop(note_id)})
    return footnotes


def extract_docx(path: Path) -> ExtractedReport:
    """Extract a Word report's paragraphs, page-header text and footnotes.

    Args:
        path: The ``.docx`` file.

    Returns:
        One line per Word paragraph (list numbers rendered, heading levels from styles)
        with a blank line after each, the page-header text for symbol detection, the
        footnotes (``page`` is None: a Word file has no fixed pages), and ``metadata``
        with ``format``.

    Raises:
        ParseError: The file is unreadable or not a valid ``.docx`` package.

    """
    import docx

    data = _read_bytes(path)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        lines: list[SourceLine] = []
        for item in document.iter_inner_content():
            for paragraph in _block_lines(item):
                text = _clean_line(paragraph.text)
                list_item = _num_pr(paragraph) if item is paragraph else None
                heading = _heading_level(paragraph)
                if list_item is not None:
                    label, number = numbering.next_label(*list_item)
                    if number is not None and heading is None:
                        text = f"{number}. {text}"
                    elif label:
                        text = f"{label} {text}"
                if not text:
                    continue
                lines.append(SourceLine(text, heading=heading))
                lines.append(SourceLine(""))
        header = _header_text(document)
        footnotes = _footnotes(document)
    except ParseError:
        raise
    except Exception as exc:  # python-docx and lxml raise many types on damaged files
        reason = str(exc) or exc.__class__.__name__
        raise ParseError(
            f"{path}: not a readable Word .docx file (corrupt, or another format such as "
            f"the older .doc): {reason}"
        ) from exc
    return ExtractedReport(
        lines=lines,
        header=header,
        footnotes=footnotes,
        metadata={"format": "docx"},
        heading_tails=False,
    )
