"""Does a passage hold the kind of answer a question asks for?

Embedding similarity says a passage is *about* what the question is about; it cannot
say the passage *answers* it. "How long must providers retain traffic data?" scores as
high against the paragraph on production orders as "whose law applies to production
orders?" does, because both are about providers and data. With the bundled model the
relevance of such near-miss questions overlaps that of answerable ones (README,
"Abstention"), so no threshold separates them.

What does separate many of them is the classic answer-type test of question answering
systems (TREC QA, Watson): a question that asks *how many*, *how long*, *how much money*,
*when* or *where* is answered only by a passage that states a number, a duration, an
amount, a date or a place; and a question that names a number ("article 18", "resolution
74/247") is answered only by a passage that contains it. This module makes those tests,
for Chinese and English questions and passages alike. It is written by hand because no
library offers answer-type classification for Chinese and English offline; jieba's
part-of-speech tagger supplies the place names, and the rest are small regular
expressions, kept deliberately conservative: a question with no recognised type passes.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import jieba.posseg

from index.text import ensure_jieba, has_cjk

QUANTITY = "quantity"
DURATION = "duration"
MONEY = "money"
TIME = "time"
PLACE = "place"
STATE = "state"
SPEAKER = "speaker"
VIEW = "view"
PROVISION = "provision"

# What an abstention says is missing, per type.
TYPE_NAMES = {
    QUANTITY: "a number",
    DURATION: "a length of time",
    MONEY: "an amount of money",
    TIME: "a date or time",
    PLACE: "a place",
    STATE: "the state that said or did it",
    SPEAKER: "who said or did it (a state, organisation or person)",
    VIEW: "what a named party said",
    PROVISION: "what a named instrument provides",
}

_AUX = (r"(?:will|would|did|does|do|is|was|are|were|should|shall|can|could|must|has|have|"
        r"had|may|might)")
# "Which state proposed …?", "谁提出…？": the agent of a statement. Expert-group reports
# record most positions without attributing them ("有建议称", "one speaker noted"), so a
# passage answers such a question only if it names a state, an organisation or a person.
_SPEECH_EN = (r"(?:proposed|suggested|said|stated|argued|sponsored|voted|opposed|supported|"
              r"called for|raised|objected|requested|submitted|tabled|put forward|advocated|"
              r"backed|chaired|presided|spoke|took the floor|made (?:the|a|this) (?:proposal|"
              r"statement|suggestion))")
_SPEECH_ZH = (r"(?:提出|提议|建议|主张|认为|指出|表示|呼吁|反对|支持|投票|赞成|提交|担任主席"
              r"|主持|发言)")
_EN_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (STATE, re.compile(r"\b(?:which|what) (?:country|countries|state|states|member states?|"
                       r"delegations?|governments?|nations?)(?: \w+){0,2}? " + _SPEECH_EN + r"\b",
                       re.I)),
    (SPEAKER, re.compile(r"\b(?:which|what) (?:speakers?|experts?|organi[sz]ations?|bod(?:y|ies))"
                         r"(?: \w+){0,2}? " + _SPEECH_EN + r"\b"
                         r"|\bwho (?:\w+ )?" + _SPEECH_EN + r"\b", re.I)),
    (DURATION, re.compile(r"\bhow long\b|\bfor how many (?:years|months|weeks|days|hours)\b"
                          r"|\b(?:what|which) (?:period|duration)\b", re.I)),
    (QUANTITY, re.compile(r"\bhow (?:many|much)\b|\bwhat (?:number|percentage|proportion|"
                          r"amount|share)\b|\bwhat (?:is|was) the (?:number|amount|total|"
                          r"percentage|size)\b", re.I)),
    # "When it is unclear where the data sits, what …": a subordinate "when"/"where" is
    # followed by its clause's subject; an interrogative one by an auxiliary verb.
    (TIME, re.compile(rf"\bwhen (?:and where )?{_AUX}\b|\b(?:by|until|since) when\b"
                      r"|\b(?:what|which) (?:year|date|day|month|time|deadline)\b", re.I)),
    (PLACE, re.compile(rf"\bwhere (?:and when )?{_AUX}\b"
                       r"|\b(?:what|which) (?:city|town|venue|place|location|capital)\b", re.I)),
]
_ZH_TYPES: list[tuple[str, re.Pattern[str]]] = [
    (STATE, re.compile(rf"(?:哪个|哪些|哪一?|什么)(?:国家|会员国|代表团|政府|国)(?:的?代表团?)?"
                       rf"(?:在会上|曾|最先|首先)?{_SPEECH_ZH}"
                       # "主张……的是哪些国家的代表团？"
                       rf"|{_SPEECH_ZH}.*的是(?:哪个|哪些|哪一?|什么)(?:国家|会员国|代表团|政府|国)")),
    (SPEAKER, re.compile(rf"(?:哪个|哪些|什么)(?:组织|机构|人)(?:在会上|曾|最先|首先)?{_SPEECH_ZH}"
                         rf"|(?:由)?谁(?:在会上|曾|最先|首先)?{_SPEECH_ZH}")),
    (DURATION, re.compile(r"多长时间|多久|多长的?(?:期限|期间|时间)|多少(?:年|个月|天|周|小时)"
                          r"|几(?:年|个月|天|周|小时)")),
    (QUANTITY, re.compile(r"多少|几(?!乎)(?:个|名|位|项|次|国|家|种|条|份|人)")),
    (TIME, re.compile(r"何时|什么时候|什么时间|哪一?年|哪一?天|哪个月|几月|何年|什么日期"
                      r"|截止日期")),
    # "在哪些事情上" asks "on which things", not "where".
    (PLACE, re.compile(r"哪里|哪儿|何地|在哪(?![些个种一方项类])|哪个城市|哪座城市|什么城市"
                       r"|什么地方|哪个地方")),
]
# "What was the EU's position …?", "中国专家对……持什么立场？": what a named party said.
# Expert-group reports record views without naming who held them; a passage answers such
# a question only if it attributes a statement to a named state, organisation or person.
_VIEW_EN = re.compile(
    r"[A-Z][\w-]*(?: [A-Z][\w-]*)*['’]s? (?:position|stance|views?|opinions?|attitude)\b"
    r"|\b(?:position|stance|views?|opinions?|attitude) (?:did|does|has|had) (?:the )?"
    r"(?:[\w-]+ ){0,3}[A-Z]"
    r"|\b(?i:what)(?: \w+)? (?:did|does|has|had) (?:the )?[^?]*?\b[A-Z][^?]*? (?:say|state|raise|"
    r"argue|propose|stress|mention|suggest)\b"
)
_VIEW_ZH = re.compile(r"(?:什么|何种|怎样的?|哪些)(?:立场|态度|看法|观点|意见|主张)"
                      r"|(?:立场|态度|看法|观点)(?:是什么|如何)|(?:说|讲|谈)了(?:什么|哪些)"
                      r"|发言的?(?:内容|要点)|在发言中(?:提出|谈到|表示|强调)了(?:什么|哪些)")
# A named party followed, within its clause, by what it said.
_ATTRIBUTION_ZH = re.compile(r"[^，。；：、]{0,12}?(?:认为|指出|表示|强调|主张|提议|建议|反对|支持|"
                             r"呼吁|赞成|欢迎|说明|提出|介绍)")
_ATTRIBUTION_EN = re.compile(r"\b(?:of|from|by) (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*[^.;:]{0,40}?"
                             r"\b(?:said|stated|noted|stressed|argued|proposed|suggested|"
                             r"expressed|supported|opposed|welcomed|emphasi[sz]ed|called)\b")
# "What does article 18 of the Budapest Convention provide?", "《公约》的条款规定了哪些内容？":
# the content of another instrument. A report that names an instrument seldom quotes it;
# a passage answers such a question only if it states what some provision says.
_PROVISION_EN = re.compile(
    r"\b(?:does|do|did) (?:the )?[A-Z][^?]*?\b(?:require|provide|stipulate|oblige|set out|"
    r"prescribe|define)\b|\b(?:provisions?|articles?|clauses?) (?:\d+ )?of (?:the )?[A-Z]"
)
_PROVISION_ZH = re.compile(r"《[^》]+》[^？?]*(?:条款|条文|规定|要求|条)(?:具体)?(?:规定|要求)?了?"
                           r"(?:什么|哪些|何种)")
_PROVISION_TEXT = re.compile(r"规定|条款|条文|第\s*\d+\s*条|\bprovides?\b|\brequires?\b"
                             r"|\barticles? \d+|\bprovisions?\b|\bstipulat", re.I)
_MONEY_NOUN = re.compile(r"预算|经费|费用|资金|成本|拨款|开支|花费|金额|\bbudget|\bcosts?\b"
                         r"|\bfunding\b|\bfunds?\b|\bmoney\b|\bprice\b|\bspen[dt]\b"
                         r"|\bexpenditure", re.I)

_ZH_NUMERAL = "一二两三四五六七八九十百千万"
_EN_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
                    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                    r"billion|dozen|dozens|hundreds|thousands|millions")
# A plain number: not a year, not a piece of a document symbol ("74/247", "A/75/…"),
# not an ordinal ("第 18 条", "article 18" is a reference, not a count).
_DIGITS = re.compile(r"(?<![\d/.])(?<!第)(?<!第 )\d[\d,.]*(?![\d/])")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_ZH_COUNT = re.compile(rf"[{_ZH_NUMERAL[1:]}][{_ZH_NUMERAL}]*\s*(?:个|名|位|项|次|国|家|种|条|"
                       r"份|人|年|月|周|天)|一\s*(?:名|位|人)|百分之")
_EN_COUNT = re.compile(rf"\b(?:{_EN_NUMBER_WORDS})\b|%|\bper ?cent\b", re.I)
_DURATION = re.compile(
    rf"(?:\d+|[{_ZH_NUMERAL}]+)\s*(?:个)?\s*(?:年|个月|周|星期|天|日|小时)(?:内|之内|期间|以内)"
    rf"|(?:\d+|[{_ZH_NUMERAL}]+)\s*(?:个月|周|星期|天|小时)"
    rf"|(?<!\d)(?:[1-9]\d?|1\d\d)\s*年(?!\d)"
    rf"|[{_ZH_NUMERAL}]+\s*年"
    rf"|\b(?:\d+|one|{_EN_NUMBER_WORDS}|several|a few)[ -](?:years?|months?|weeks?|days?|hours?)\b",
    re.I,
)
_MONEY = re.compile(r"\d[\d,.]*\s*(?:万|亿)?\s*(?:美元|欧元|元|英镑|法郎|日元)"
                    r"|(?:US\$|\$|€|£|¥)\s*\d"
                    r"|\b\d[\d,.]*\s*(?:million |billion )?(?:dollars|euros|pounds)\b"
                    r"|\b(?:USD|EUR|GBP|CHF)\s*\d", re.I)
_TIME = re.compile(
    r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|\d{1,2}\s*月|[一二三四五六七八九十]+月|\d{1,2}\s*日"
    r"|明年|今年|去年|下周|本周|下月|本月|星期[一二三四五六日天]|周[一二三四五六日]"
    r"|\b(?:January|February|March|April|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:next|this|last) (?:year|month|week)\b",
)
_EN_PLACE = re.compile(r"\b(?:in|at|from) (?:the )?[A-Z][a-z]+")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_NUMBER_IN_QUESTION = re.compile(r"\d+(?:[/.]\d+)*")

_posseg_lock = threading.Lock()
_NAME_TAGS = frozenset({"ns"})
# Words jieba tags as place names that name no particular place.
_GENERIC_PLACES = frozenset("城市 国家 地区 各国 全球 世界 国际 首都 境外 国内 国外 海外 当地 本国 "
                            "外国 他国 该国 亚洲 非洲 欧洲 美洲".split())
# A state (jieba tags states as places), or also an organisation or a person.
_STATE_TAGS = frozenset({"ns"})
_SPEAKER_TAGS = frozenset({"ns", "nt", "nr", "nrt", "nrfg"})
# Tagged as organisations, but in a UN text they name no one who spoke.
_NOT_SPEAKERS = frozenset({"联合国", "国家机关", "主管部门", "中央机关"}) | _GENERIC_PLACES
# Short names a Chinese question may use for a state that UN texts give in full, where
# the short name is not part of the full one ("俄罗斯" is part of "俄罗斯联邦").
_UN_NAMES = {"英国": "联合王国", "美国": "美利坚合众国", "韩国": "大韩民国",
             "朝鲜": "朝鲜民主主义人民共和国", "荷兰": "荷兰王国"}


@dataclass(frozen=True)
class QuestionProfile:
    """What a question asks for: answer types and the numbers it names."""

    types: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def asks_who(self) -> bool:
        """Whether the question asks who said something, or what a named party said."""
        return bool({STATE, SPEAKER, VIEW} & set(self.types))

    def missing(self, text: str) -> list[str]:
        """What the question needs that ``text`` lacks, as phrases for a reason.

        An empty list means the passage may answer the question.
        """
        lacking = [TYPE_NAMES[kind] for kind in self.types if not _has_type(kind, text)]
        passage_numbers = set(_NUMBER_IN_QUESTION.findall(text))
        lacking += [f"“{number}”" for number in self.numbers
                    if number not in passage_numbers and not _YEAR.match(number)]
        # Chinese names are looked for in Chinese passages only: the English version of
        # a paragraph says "United States", not "美利坚合众国".
        if has_cjk(text):
            lacking += [f"“{name}”" for name in self.names
                        if name not in text and _UN_NAMES.get(name, name) not in text]
        return lacking


def profile_question(question: str) -> QuestionProfile:
    """Recognise the answer types a question asks for and the numbers it names."""
    # A Chinese question puts what it asks for in its last clause; a question word in an
    # earlier one belongs to a condition ("如果查不清发生在哪里，……要求先弄清什么？").
    last_clause = _CLAUSE_BREAK.split(question.rstrip("？?！!。 "))[-1]
    types: list[str] = []
    for kind, pattern in _ZH_TYPES:
        if pattern.search(last_clause) and kind not in types:
            types.append(kind)
    for kind, pattern in _EN_TYPES:
        if pattern.search(question) and kind not in types:
            types.append(kind)
    if DURATION in types and QUANTITY in types:
        types.remove(QUANTITY)  # "多少年" / "how many years" ask for a duration
    if QUANTITY in types and _MONEY_NOUN.search(question):
        types[types.index(QUANTITY)] = MONEY
    if _asks_for_a_view(question):
        types.append(VIEW)
    if _PROVISION_EN.search(question) or _PROVISION_ZH.search(question):
        types.append(PROVISION)
    numbers = tuple(dict.fromkeys(_NUMBER_IN_QUESTION.findall(question)))
    return QuestionProfile(tuple(types), numbers, _names(question))


def _asks_for_a_view(question: str) -> bool:
    if _VIEW_EN.search(question):
        return True
    return _VIEW_ZH.search(question) is not None and any(
        flag in _SPEAKER_TAGS and word not in _NOT_SPEAKERS for word, flag in _tags(question))


def _has_type(kind: str, text: str) -> bool:
    if kind == QUANTITY:
        if _ZH_COUNT.search(text) or _EN_COUNT.search(text):
            return True
        return any(not _YEAR.match(m.group().rstrip(".,")) for m in _DIGITS.finditer(text))
    if kind == DURATION:
        return _DURATION.search(text) is not None
    if kind == MONEY:
        return _MONEY.search(text) is not None
    if kind == TIME:
        return _TIME.search(text) is not None
    if kind == PLACE:
        return _EN_PLACE.search(text) is not None or _has_place_name(text)
    if kind == VIEW:
        return _has_attribution(text)
    if kind == PROVISION:
        return _PROVISION_TEXT.search(text) is not None
    if kind in (STATE, SPEAKER):
        tags = _STATE_TAGS if kind == STATE else _SPEAKER_TAGS
        return _EN_PLACE.search(text) is not None or any(
            flag in tags and word not in _NOT_SPEAKERS for word, flag in _tags(text))
    raise ValueError(f"unknown answer type {kind!r}")


def _tags(text: str) -> list[tuple[str, str]]:
    ensure_jieba()
    # jieba's tagger shares state between threads; one tagging at a time.
    with _posseg_lock:
        return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]


def _has_attribution(text: str) -> bool:
    """Whether the passage says what a named state, organisation or person said."""
    if _ATTRIBUTION_EN.search(text):
        return True
    tags = _tags(text)
    offset = 0
    for word, flag in tags:
        offset += len(word)
        if (flag in _SPEAKER_TAGS and word not in _NOT_SPEAKERS
                and _ATTRIBUTION_ZH.match(text, offset)):
            return True
    return False


def _has_place_name(text: str) -> bool:
    return any(flag == "ns" for _, flag in _tags(text))


def _names(question: str) -> tuple[str, ...]:
    """Names of places and states in a Chinese question (jieba's ns tag).

    Organisation names (nt) are left out: they are abbreviated too freely ("国际刑警组织"
    for the report's "国际刑事警察组织") for a string test to be fair. So are person
    names (nr): jieba's person tag fires on ordinary phrases ("建立健全").
    """
    if not has_cjk(question):
        return ()
    # A region ("大洋洲", "拉丁美洲", "中东地区") groups places a passage names one by one.
    names = [word for word, flag in _tags(question)
             if flag in _NAME_TAGS and len(word) >= 2 and word not in _GENERIC_PLACES
             and not word.endswith(("洲", "地区"))]
    return tuple(dict.fromkeys(names))
