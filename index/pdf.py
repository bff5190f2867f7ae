"""Read the text layer of a PDF report into lines for the shared parser.

pdfplumber (on pdfminer.six) is used rather than pypdf because telling page furniture
and footnotes from body text needs each character's position and font size: running
headers and footers are the lines in the top and bottom bands of a page that are page
furniture (document symbol, job number such as ``V.20-03819``, page numbers such as
``2/3`` or ``Page 2``) or repeat on several pages; footnotes are the block of
smaller-font lines at the bottom of a page (or below a ``____`` separator) that starts
with a marker; footnote reference marks in the body are small raised characters.
pdfplumber exposes all of that per character and decodes CJK CID fonts; pypdf's text
extraction gives strings without reliable geometry.

Encryption: a PDF that needs a password to open is refused. A PDF encrypted only with an
owner password (printing or copying restricted, opens in any viewer without a password,
common for published reports) is read like any other.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.errors import ParseError
from index.parser import ExtractedReport, SourceLine, _clean_line, _join
from index.symbols import find_symbols

__all__ = ["extract_pdf"]

# Share of the page height at the top and at the bottom where running headers and
# footers are looked for.
_BAND = 0.13
# Footnotes are looked for only below this share of the page height.
_FOOTNOTE_ZONE = 0.4
# A line whose main font size is below this share of the body size is small print.
_SMALL = 0.92
# A character below this share of its line's size, and raised, is a reference mark.
_SUPERSCRIPT = 0.8
# A vertical gap above this share of the font size separates blocks (blocks mode).
_BLOCK_GAP = 0.6

_FURNITURE_TOKEN = re.compile(
    r"""
      [A-Z]{1,2}\.\d{2}-\d{4,6}          # Vienna/Geneva job number: V.20-03819, GE.20-1
    | \d{2}-\d{5}                        # New York job number: 19-22345
    | \(\s*[A-Z]\s*\)                    # language tag of the job number: (C), (E)
    | \*\d{5,}\*                         # bar code text
    | \d{6}                              # processing date stamp: 270720
    | \d{1,4}\s*/\s*\d{1,4}              # page x of y: 2/3
    | [-–—]\s*\d{1,4}\s*[-–—]            # - 2 -
    | (?:page|página|pág\.|страница|стр\.)\s*\d{1,4}(?:\s*(?:of|de|sur|из|/)\s*\d{1,4})?
    | 第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?
    | صفحة\s*\d{1,4}
    | please\s+recycle                   # UN first-page footer
    | \d{1,4}                            # bare page number
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BLOCK_END = ("。", ".", "！", "!", "？", "?", "；", ";", ":", "：")
_SEPARATOR = re.compile(r"^[_\-–—]{5,}$")
_MARKER = re.compile(r"^(\d{1,3}|[*†‡§]{1,3})(\s*)(\S.*)$")
_MARK_CHARS = frozenset("0123456789*†‡§")
_DIGITS = re.compile(r"\d+")


@dataclass
class _Line:
    """One text line of a page with the geometry needed to classify it."""

    text: str
    top: float
    bottom: float
    size: float
    chars: list[dict[str, Any]] = field(repr=False)
    page: int = 0


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line]


def _dominant_size(chars: list[dict[str, Any]]) -> float:
    sizes = Counter(round(float(c["size"]), 1) for c in chars if not c["text"].isspace())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _open_error(path: Path, exc: Exception) -> ParseError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return ParseError(
            f"{path}: the PDF is encrypted and needs a password to open; "
            "save an unencrypted copy and ingest that"
        )
    reason = str(cause) or cause.__class__.__name__
    return ParseError(f"{path}: not a readable PDF (corrupt or truncated): {reason}")


def _read_pages(path: Path) -> list[_Page]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ParseError(f"{path}: cannot read the file: {reason}") from exc
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise _open_error(path, exc) from exc
    pages: list[_Page] = []
    with pdf:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                # Rotated text (margin notes, vertical bar codes) is not part of the flow.
                upright = page.filter(
                    lambda obj: obj.get("object_type") != "char" or bool(obj.get("upright", True))
                )
                lines = [
                    _Line(
                        text=raw["text"],
                        top=float(raw["top"]),
                        bottom=float(raw["bottom"]),
                        size=_dominant_size(raw["chars"]),
                        chars=raw["chars"],
                        page=number,
                    )
                    for raw in upright.extract_text_lines(return_chars=True, strip=True)
                    if raw["text"].strip()
                ]
                pages.append(_Page(number, float(page.height), lines))
        except Exception as exc:  # a damaged page stream fails only when read
            raise _open_error(path, exc) from exc
    return pages


def _is_furniture(text: str) -> bool:
    rest = text
    for symbol in find_symbols(text):
        rest = rest.replace(symbol, " ")
    rest = _FURNITURE_TOKEN.sub(" ", rest)
    return not rest.strip(" \t|·•,;")


def _shape(text: str) -> str:
    """The line with numbers masked, so "2/3" and "3/3" repeat as one running footer."""
    return _DIGITS.sub("#", text.strip())


def _edge_lines(page: _Page) -> list[_Line]:
    top = [line for line in page.lines if line.bottom <= page.height * _BAND]
    bottom = [line for line in page.lines if line.top >= page.height * (1 - _BAND)]
    return top + bottom


def _strip_furniture(page: _Page, repeated: set[str]) -> tuple[list[_Line], list[_Line]]:
    """Split a page into body lines and the running header/footer lines around them."""

    def furniture(line: _Line) -> bool:
        return _is_furniture(line.text) or _shape(line.text) in repeated

    lines = page.lines
    start = 0
    while (
        start < len(lines)
        and lines[start].bottom <= page.height * _BAND
        and furniture(lines[start])
    ):
        start += 1
    end = len(lines)
    while (
        end > start
        and lines[end - 1].top >= page.height * (1 - _BAND)
        and furniture(lines[end - 1])
    ):
        end -= 1
    return lines[start:end], lines[:start] + lines[end:]


def _is_marker_start(line: _Line, previous_marker: str | None) -> re.Match[str] | None:
    match = _MARKER.match(line.text)
    if not match:
        return None
    marker = match.group(1)
    if match.group(2):
        if not marker.isdigit() or previous_marker is None or not previous_marker.isdigit():
            return match
        if int(marker) == int(previous_marker) + 1:
            return match
    # Without a space the marker must look like one: smaller or raised.
    visible = [c for c in line.chars if not c["text"].isspace()]
    if len(visible) > len(marker):
        mark, following = visible[len(marker) - 1], visible[len(marker)]
        if float(mark["size"]) < float(following["size"]) * 0.9 or (
            float(mark["bottom"]) < float(following["bottom"]) - 1
        ):
            return match
    return None


def _split_footnotes(page: _Page, lines: list[_Line], body_size: float) -> int:
    """Return the index in ``lines`` where the page's footnote block starts."""
    zone = page.height * _FOOTNOTE_ZONE
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].top < zone:
            break
        if _SEPARATOR.match(lines[index].text.replace(" ", "")):
            return index
    start = len(lines)
    while (
        start > 0 and lines[start - 1].top >= zone and lines[start - 1].size < (body_size * _SMALL)
    ):
        start -= 1
    if any(_MARKER.match(line.text) for line in lines[start:]):
        return start
    return len(lines)


def _collect_footnotes(page: _Page, block: list[_Line], footnotes: list[dict[str, Any]]) -> None:
    for position, line in enumerate(block):
        text = _clean_line(line.text)
        if _SEPARATOR.match(text.replace(" ", "")):
            continue
        previous = footnotes[-1]["marker"] if footnotes else None
        match = _is_marker_start(line, previous)
        if match:
            footnotes.append(
                {"page": page.number, "marker": match.group(1), "text": _clean_line(match[3])}
            )
        elif footnotes:
            # The first line of a page's block may continue the last page's footnote.
            footnotes[-1]["text"] = _join(footnotes[-1]["text"], text)
        elif position == 0:
            footnotes.append({"page": page.number, "marker": None, "text": text})


def _without_reference_marks(line: _Line) -> str | None:
    """Drop small raised footnote reference marks from a body line.

    Returns:
        The line text without them, or None when nothing was removed.

    """
    full = [c for c in line.chars if float(c["size"]) >= line.size * _SUPERSCRIPT]
    if not full:
        return None
    baseline = sorted(float(c["bottom"]) for c in full)[len(full) // 2]
    marks = {
        index
        for index, c in enumerate(line.chars)
        if c["text"] in _MARK_CHARS
        and float(c["size"]) < line.size * _SUPERSCRIPT
        and float(c["bottom"]) < baseline - 0.5
    }
    if not marks:
        return None
    # The line text is its characters plus the spaces extraction inserted between words;
    # walk both together to drop exactly the marks.
    out: list[str] = []
    position = 0
    for index, c in enumerate(line.chars):
        found = line.text.find(c["text"], position)
        if found < 0:
            return None
        out.append(line.text[position:found])
        if index not in marks:
            out.append(c["text"])
        position = found + len(c["text"])
    out.append(line.text[position:])
    return "".join(out).strip()


def _is_stray_mark(line: _Line, body_size: float) -> bool:
    """A reference mark that text extraction put on a line of its own."""
    visible = [c for c in line.chars if not c["text"].isspace()]
    return bool(visible) and all(
        c["text"] in _MARK_CHARS and float(c["size"]) < body_size * _SUPERSCRIPT for c in visible
    )


def extract_pdf(path: Path) -> ExtractedReport:
    """Extract a PDF's body lines, running headers and footnotes.

    Args:
        path: The PDF file.

    Returns:
        The lines (each with its page; a blank line where a vertical gap separates
        blocks), the removed header text for symbol detection, the footnotes, and
        ``metadata`` with ``format`` and ``page_count`` (and ``pages_without_text`` when
        some pages are images only).

    Raises:
        ParseError: The file is unreadable, corrupt, needs a password, has no text layer
            (a scanned PDF; there is no OCR) or a text layer without Unicode mapping.

    """
    pages = _read_pages(path)
    all_chars = [c for page in pages for line in page.lines for c in line.chars]
    if not any(not c["text"].isspace() for c in all_chars):
        raise ParseError(
            f"{path}: the PDF has no text layer (a scanned image?); OCR is not supported: "
            "ingest a PDF with selectable text, or a Word or text version"
        )
    undecodable = sum(1 for c in all_chars if c["text"].startswith("(cid:"))
    if undecodable > 0.2 * len(all_chars):
        raise ParseError(
            f"{path}: the PDF's text layer cannot be decoded (its fonts map glyphs to no "
            "Unicode text); ingest a Word or text version, or a PDF exported with Unicode "
            "text"
        )
    body_size = _dominant_size(all_chars)

    shape_pages: dict[str, set[int]] = {}
    for page in pages:
        for line in _edge_lines(page):
            shape_pages.setdefault(_shape(line.text), set()).add(page.number)
    repeated = {shape for shape, numbers in shape_pages.items() if len(numbers) >= 2}

    lines: list[SourceLine] = []
    header: list[str] = []
    running: list[str] = []
    footnotes: list[dict[str, Any]] = []
    for page in pages:
        body, furniture = _strip_furniture(page, repeated)
        if page.number == 1:
            header.extend(line.text for line in furniture)
        else:
            running.extend(line.text for line in furniture if _shape(line.text) in repeated)
        split = _split_footnotes(page, body, body_size)
        _collect_footnotes(page, body[split:], footnotes)
        previous: _Line | None = None
        if lines and lines[-1].text.rstrip().endswith(_BLOCK_END):
            # Without numbers, a page that ended a sentence most likely ended its block too.
            lines.append(SourceLine("", page=page.number))
        for line in body[:split]:
            if _is_stray_mark(line, body_size):
                continue
            text = _without_reference_marks(line)
            if previous is not None and line.top - previous.bottom > _BLOCK_GAP * max(
                previous.size, 1.0
            ):
                lines.append(SourceLine("", page=page.number))
            lines.append(SourceLine(line.text if text is None else text, page=page.number))
            previous = line
    metadata: dict[str, Any] = {"format": "pdf", "page_count": len(pages)}
    empty = [page.number for page in pages if not page.lines]
    if empty:
        metadata["pages_without_text"] = empty
    return ExtractedReport(
        lines=lines,
        header=header + running,
        footnotes=footnotes,
        metadata=metadata,
        heading_tails=True,
    )
