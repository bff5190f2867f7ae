"""Input checks and batching shared by the embedding backends."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def as_text_list(texts: Sequence[str]) -> list[str]:
    """Return ``texts`` as a list, refusing a bare string.

    A ``str`` is itself a sequence of strings, so without this check ``encode(["a b"])``
    mistyped as ``encode("a b")`` would silently embed three one-character texts.

    Args:
        texts: The texts to encode.

    Returns:
        The texts as a new list.

    Raises:
        TypeError: If ``texts`` is a single string or holds anything but strings.

    """
    if isinstance(texts, str):
        raise TypeError("expected a sequence of texts, got a single str; wrap it in a list")
    text_list = list(texts)
    for position, text in enumerate(text_list):
        if not isinstance(text, str):
            raise TypeError(f"texts[{position}] is {type(text).__name__}, expected str")
    return text_list


def batches(texts: list[str], batch_size: int) -> Iterator[list[str]]:
    """Yield consecutive slices of ``texts`` holding at most ``batch_size`` items each."""
    for start in range(0, len(texts), batch_size):
        yield texts[start : start + batch_size]


def check_batch_size(batch_size: int) -> int:
    """Return ``batch_size`` if it is a positive integer.

    Raises:
        ValueError: If it is not.

    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    return batch_size
