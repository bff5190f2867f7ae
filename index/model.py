"""The document model every parser produces and the index stores."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """One numbered paragraph of a report.

    Attributes:
        doc_id: Identity of the document the paragraph belongs to.
        number: The paragraph number as printed in the report (1-based). For documents
            without printed numbers, the position of the blank-line block.
        section: Heading path from the outermost heading to the innermost, e.g.
            ``["二. 初步建议和结论清单（续）", "A. 国际合作"]``; empty when none.
        text: Paragraph text without its number, hard line breaks joined.
        page: Page number in the source file where known (PDF), else None.
    """

    doc_id: str
    number: int
    section: tuple[str, ...]
    text: str
    page: int | None = None

    @property
    def citation_id(self) -> str:
        """The citation id ``doc_id#number`` used everywhere a paragraph is cited."""
        return f"{self.doc_id}#{self.number}"


@dataclass
class Document:
    """A parsed report.

    Attributes:
        doc_id: Stable identity (file stem unless given).
        title: Human-readable title (document kind, or the first header line).
        metadata: Header facts: ``body``, ``date``, ``place``, ``kind`` (list of document
            kind lines such as 报告草稿/增编), ``numbering`` (``"numbered"`` or
            ``"blocks"``), ``source`` (file path), ``encoding``; absent keys are unknown.
        paragraphs: Paragraphs in document order.
    """

    doc_id: str
    title: str
    metadata: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """SHA-256 over everything the index stores for this document.

        Re-ingesting a document whose hash is unchanged re-embeds nothing.
        """
        digest = hashlib.sha256()
        digest.update(self.doc_id.encode())
        digest.update(self.title.encode())
        for paragraph in self.paragraphs:
            digest.update(f"\x1e{paragraph.number}\x1f".encode())
            digest.update("\x1f".join(paragraph.section).encode())
            digest.update(b"\x1f")
            digest.update(paragraph.text.encode())
        return digest.hexdigest()
