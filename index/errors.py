"""Domain errors of the parsing and indexing layer.

Every message says what was wrong and what to do; the CLI prints it as is and the HTTP
layer maps each class to one status code in one place.
"""

from __future__ import annotations


class ReportQAError(Exception):
    """Base of every error a user can cause or fix."""


class ParseError(ReportQAError, ValueError):
    """A report file could not be read or parsed; the message names the file."""


class IndexNotFoundError(ReportQAError, FileNotFoundError):
    """No index exists at the given directory."""


class IndexCorruptError(ReportQAError):
    """An index file is truncated or does not match its recorded checksum."""


class RebuildDropError(ReportQAError):
    """A rebuild would drop documents the index lists, and dropping was not allowed.

    ``dropped`` names them, for a caller that words the refusal its own way (the CLI
    says which of them had a file that failed to parse).
    """

    def __init__(self, message: str, dropped: list[str]) -> None:
        super().__init__(message)
        self.dropped = dropped


class EmbedderMismatchError(ReportQAError, ValueError):
    """The index was built with a different embedder than the one querying it."""


class IndexLockedError(ReportQAError):
    """Another process is writing to the same index."""


class DocumentNotFoundError(ReportQAError, KeyError):
    """No document with the given id is in the index."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "document not found"


class ParagraphNotFoundError(ReportQAError, KeyError):
    """The document has no paragraph with the given number."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "paragraph not found"


class InvalidInputError(ReportQAError, ValueError):
    """A question, query or option is empty, too long or of the wrong kind."""
