"""Tokens for BM25 and sentence spans for quoting, for Chinese and Latin text alike."""

from __future__ import annotations

import logging
import re
import threading

import jieba

# jieba announces its dictionary load on stderr at INFO; the CLI's output should be ours.
jieba.setLogLevel(logging.WARNING)
_jieba_lock = threading.Lock()
_jieba_ready = False

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+(?:[/'.-][0-9A-Za-z\u00c0-\u024f]+)*")
_TOKEN = re.compile(
    r"(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<latin>[0-9A-Za-z\u00c0-\u024f]+(?:[/'.-][0-9A-Za-z\u00c0-\u024f]+)*)"
)

# Function words that match almost every paragraph: as BM25 terms they only let an
# unrelated question "match" something, which is exactly the noise fusion must avoid.
STOPWORDS_ZH = frozenset(
    "的 了 在 和 与 及 或 是 有 也 都 而 并 其 之 于 为 以 对 就 将 被 把 从 向 这 那 该 此 "
    "哪 哪些 什么 怎么 怎样 如何 为何 为什么 吗 呢 吧 啊 谁 哪个 哪国 多少 几 是否 是不是 "
    "关于 方面 中 上 下 等 还 又 我 我们 你 他 她 它 他们 应 应当 应该 可以 能 会 要 "
    "一个 一些 这些 那些 所有 任何 提出 指出 称 认为 报告 什么样".split()
)
STOPWORDS_EN = frozenset(
    "a an the of to in on at for by with from and or not no is are was were be been being "
    "do does did has have had what which who whom whose when where why how that this these "
    "those it its as into about than then there their they them he she we you i me my our "
    "your his her should would could can may might must shall will report reports say says "
    "said according any all some each other such more most also only per via".split()
)


def ensure_jieba() -> None:
    """Load jieba's dictionary once, before any thread cuts text with it."""
    # jieba builds its prefix dictionary lazily and not thread-safely; do it once, locked.
    global _jieba_ready
    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.initialize()
                _jieba_ready = True


def tokenize(text: str) -> list[str]:
    """Split text into lowercase BM25 terms: jieba words for Chinese, words for Latin.

    Chinese runs are cut with jieba's search mode, which also emits the shorter words
    inside long compounds (``出示令`` → ``出示``, ``出示令``), so a question phrased with
    a part of a compound still matches. Stopwords and single punctuation are dropped.

    Args:
        text: Any text, Chinese, English or mixed.

    Returns:
        Terms in text order (duplicates kept: BM25 counts them).
    """
    ensure_jieba()
    terms: list[str] = []
    for match in _TOKEN.finditer(text):
        if match.group("cjk"):
            for word in jieba.cut_for_search(match.group("cjk")):
                if word not in STOPWORDS_ZH:
                    terms.append(word)
        else:
            word = match.group("latin").lower()
            if word not in STOPWORDS_EN and not (len(word) == 1 and word.isalpha()):
                terms.append(word)
    return terms


# A sentence ends at Chinese or full-width terminal punctuation (with any closing quote or
# bracket after it), or at Latin terminal punctuation followed by whitespace. The semicolon
# is not an end: UN paragraphs chain long clauses with "；" that only make sense together.
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*|\.(?=\s+\S)")
# A full stop after these is an abbreviation, not a sentence end ("para. 13", "Mr. Smith").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof no nos para paras art arts e.g i.e etc vol p pp cf al fig sect ch".split()
)


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    # Single capitals are initials ("J. Smith", "A/RES/74/247 of the U.N.").
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split a paragraph into sentences, as character spans into ``text``.

    Spans exclude leading and trailing whitespace, cover every non-space character of the
    paragraph, and ``text[start:end]`` is the exact sentence, so a quote cut from the
    paragraph by a span is character-for-character the report's own words.

    Args:
        text: One paragraph.

    Returns:
        ``(start, end)`` pairs in order; one span for text without sentence punctuation.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() == "." and _is_abbreviation(text, match.start()):
            continue
        end = match.end()
        _append_trimmed(text, start, end, spans)
        start = end
    _append_trimmed(text, start, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains any Chinese character."""
    return _CJK_RUN.search(text) is not None
