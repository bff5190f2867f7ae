"""Deterministic generator of report-like documents (Chinese and English) and questions.

The documents imitate UN meeting reports: a header (body, date and place, document
kind), Roman / Chinese-numeral chapter headings, lettered section headings, and
numbered paragraphs of one to four sentences built from a topic vocabulary. Everything
is a pure function of ``(paragraph count, seed)``: the same arguments give the same
documents, byte for byte, on every machine and Python run (only ``random.Random`` with
an explicit seed is used, never ``hash()``).

Two outputs: :class:`index.model.Document` objects for building an index directly, and
``.txt`` files in the layout the parser reads (:func:`render_txt`, :func:`write_corpus`),
so an ingest benchmark can include parsing.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

from index.model import Document, Paragraph

# (Chinese, English) pairs: the subjects paragraphs and questions are about.
TOPICS: list[tuple[str, str]] = [
    ("网络犯罪", "cybercrime"),
    ("电子证据", "electronic evidence"),
    ("司法协助", "mutual legal assistance"),
    ("能力建设", "capacity-building"),
    ("气候变化", "climate change"),
    ("维持和平行动", "peacekeeping operations"),
    ("难民保护", "refugee protection"),
    ("粮食安全", "food security"),
    ("可持续发展目标", "the Sustainable Development Goals"),
    ("性别平等", "gender equality"),
    ("儿童权利", "the rights of the child"),
    ("反腐败", "anti-corruption measures"),
    ("洗钱", "money-laundering"),
    ("恐怖主义融资", "the financing of terrorism"),
    ("人口贩运", "trafficking in persons"),
    ("数据保护", "data protection"),
    ("技术援助", "technical assistance"),
    ("预算外资源", "extrabudgetary resources"),
    ("海洋污染", "marine pollution"),
    ("公共卫生", "public health"),
    ("移民", "migration"),
    ("核裁军", "nuclear disarmament"),
    ("人权理事会", "the Human Rights Council"),
    ("信息和通信技术", "information and communications technologies"),
    ("私营部门合作", "cooperation with the private sector"),
    ("区域组织", "regional organizations"),
    ("刑事司法", "criminal justice"),
    ("引渡", "extradition"),
    ("证人保护", "witness protection"),
    ("资产追回", "asset recovery"),
]

ACTORS: list[tuple[str, str]] = [
    ("会员国", "Member States"),
    ("一些发言者", "Some speakers"),
    ("若干代表团", "Several delegations"),
    ("专家组", "The Expert Group"),
    ("秘书处", "The Secretariat"),
    ("委员会", "The Commission"),
    ("特设委员会", "The Ad Hoc Committee"),
    ("区域组织", "Regional organizations"),
    ("一位发言者", "One speaker"),
    ("与会者", "Participants"),
]

VERBS_ZH = ["强调了", "建议加强", "呼吁重视", "欢迎", "关切地注意到", "指出有必要审查",
            "表示支持", "请秘书处报告", "认识到", "建议优先考虑"]
VERBS_EN = ["stressed the importance of", "recommended strengthening", "called for attention to",
            "welcomed progress on", "noted with concern the situation regarding",
            "pointed to the need to review", "expressed support for",
            "requested the Secretariat to report on", "recognized the role of",
            "recommended giving priority to"]

TAILS_ZH = ["并应在 {year} 年之前提交进展报告", "以便尽可能广泛地开展国际合作",
            "同时不应与现有框架和文书相冲突", "特别是在发展中国家", "并考虑到各国的国家立法",
            "包括通过区域和次区域机制", "而且应当具有包容性和透明度",
            "并最大限度地利用现有财务资源", "以加强国家机关的应对能力", "并与私营部门实体合作"]
TAILS_EN = ["and should submit a progress report before {year}",
            "so as to allow the widest possible international cooperation",
            "without conflicting with existing frameworks and instruments",
            "in particular in developing countries",
            "taking into account the national legislation of States",
            "including through regional and subregional mechanisms",
            "in an inclusive and transparent manner",
            "making the best use of existing financial resources",
            "in order to strengthen the capacity of national authorities",
            "in cooperation with private sector entities"]

CHAPTERS_ZH = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
CHAPTERS_EN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
CHAPTER_TITLES: list[tuple[str, str]] = [
    ("导言", "Introduction"),
    ("初步建议和结论清单", "Preliminary list of recommendations and conclusions"),
    ("会议安排", "Organization of the meeting"),
    ("审议情况", "Summary of deliberations"),
    ("今后的工作", "Future work"),
    ("通过报告", "Adoption of the report"),
]
BODIES: list[tuple[str, str]] = [
    ("全面研究网络犯罪问题专家组", "Expert Group to Conduct a Comprehensive Study on Cybercrime"),
    ("预防犯罪和刑事司法委员会", "Commission on Crime Prevention and Criminal Justice"),
    ("联合国反腐败公约缔约国会议", "Conference of the States Parties to the United Nations "
     "Convention against Corruption"),
    ("人权理事会", "Human Rights Council"),
    ("可持续发展高级别政治论坛", "High-level Political Forum on Sustainable Development"),
]
PLACES: list[tuple[str, str]] = [("维也纳", "Vienna"), ("纽约", "New York"),
                                 ("日内瓦", "Geneva"), ("内罗毕", "Nairobi")]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]

QUESTION_TEMPLATES_ZH = ["{actor}对{topic}提出了哪些建议？", "关于{topic}，{actor}说了什么？",
                         "{topic}方面有哪些结论？", "报告如何看待{topic}与{topic2}的关系？",
                         "{actor}是否支持加强{topic}？"]
QUESTION_TEMPLATES_EN = ["What did {actor} recommend on {topic}?",
                         "What was said about {topic} by {actor}?",
                         "Which conclusions concern {topic}?",
                         "How does the report link {topic} and {topic2}?",
                         "Did {actor} support strengthening {topic}?"]

def _rng(seed: int, *parts: object) -> random.Random:
    """An independent generator for one part of the corpus, stable across processes."""
    key = "\x1f".join(str(p) for p in (seed, *parts)).encode()
    return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "little"))


def _sentence(rng: random.Random, chinese: bool, topic: int) -> str:
    actor = rng.randrange(len(ACTORS))
    other = rng.randrange(len(TOPICS))
    year = rng.randrange(2019, 2031)
    number = rng.randrange(1, 80)
    if chinese:
        tail = TAILS_ZH[rng.randrange(len(TAILS_ZH))].format(year=year)
        return (f"{ACTORS[actor][0]}{VERBS_ZH[rng.randrange(len(VERBS_ZH))]}"
                f"{TOPICS[topic][0]}问题，{tail}；另据指出，第 {number}/{year % 100} 号决议"
                f"所述的{TOPICS[other][0]}也与此相关。")
    tail = TAILS_EN[rng.randrange(len(TAILS_EN))].format(year=year)
    return (f"{ACTORS[actor][1]} {VERBS_EN[rng.randrange(len(VERBS_EN))]} "
            f"{TOPICS[topic][1]}, {tail}; it was noted that {TOPICS[other][1]}, as addressed "
            f"in resolution {number}/{year % 100}, was also relevant.")


def _paragraph_text(rng: random.Random, chinese: bool) -> str:
    topic = rng.randrange(len(TOPICS))
    count = rng.choices((1, 2, 3, 4), weights=(3, 4, 2, 1))[0]
    joiner = "" if chinese else " "
    return joiner.join(_sentence(rng, chinese, topic) for _ in range(count))


def _document_sizes(total: int, seed: int) -> list[int]:
    """Paragraph counts of the documents, summing to ``total`` (documents of 20–300)."""
    rng = _rng(seed, "sizes")
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(left, rng.randrange(20, 301))
        sizes.append(size)
        left -= size
    return sizes


def generate_documents(paragraphs: int, seed: int = 0) -> list[Document]:
    """Documents holding exactly ``paragraphs`` paragraphs in all, deterministic from ``seed``.

    Args:
        paragraphs: Total number of paragraphs (e.g. 1_000, 10_000, 100_000).
        seed: Any integer; the same seed gives the same corpus.

    Returns:
        Documents with doc ids ``bench-<seed>-<NNNNN>``, Chinese and English mixed.
    """
    return list(iter_documents(paragraphs, seed))


def iter_documents(paragraphs: int, seed: int = 0) -> Iterator[Document]:
    """Like :func:`generate_documents`, one document at a time."""
    for number, size in enumerate(_document_sizes(paragraphs, seed)):
        yield _document(seed, number, size)


def _document(seed: int, number: int, size: int) -> Document:
    rng = _rng(seed, "doc", number)
    # Three documents in five are Chinese, in a fixed pattern so even a small corpus mixes.
    chinese = number % 5 in (0, 2, 4)
    lang = 0 if chinese else 1
    body = BODIES[rng.randrange(len(BODIES))][lang]
    place = PLACES[rng.randrange(len(PLACES))][lang]
    year = rng.randrange(2015, 2025)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, 27)
    date = (f"{year} 年 {month} 月 {day} 日" if chinese
            else f"{day} {MONTHS_EN[month - 1]} {year}")
    kind = "报告草稿" if chinese else "Draft report"
    doc_id = f"bench-{seed}-{number:05d}"
    paragraphs: list[Paragraph] = []
    chapter = -1
    section: tuple[str, ...] = ()
    for index in range(size):
        # A new chapter every ~40 paragraphs, a new lettered section every ~12.
        if index == 0 or rng.random() < 1 / 40:
            chapter = min(chapter + 1, len(CHAPTERS_ZH) - 1)
            letter = 0
            title = CHAPTER_TITLES[rng.randrange(len(CHAPTER_TITLES))][lang]
            numeral = CHAPTERS_ZH[chapter] if chinese else CHAPTERS_EN[chapter]
            chapter_heading = f"{numeral}. {title}"
            section_heading = f"A. {TOPICS[rng.randrange(len(TOPICS))][lang]}"
            section = (chapter_heading, section_heading)
        elif rng.random() < 1 / 12 and letter < 25:
            letter += 1
            topic = TOPICS[rng.randrange(len(TOPICS))][lang]
            if not chinese:
                topic = topic[:1].upper() + topic[1:]
            section = (section[0], f"{chr(ord('A') + letter)}. {topic}")
        paragraphs.append(Paragraph(doc_id=doc_id, number=index + 1, section=section,
                                    text=_paragraph_text(rng, chinese)))
    if not chinese:
        paragraphs = [
            Paragraph(p.doc_id, p.number,
                      (p.section[0], p.section[1][:3] + p.section[1][3:4].upper()
                       + p.section[1][4:]), p.text)
            for p in paragraphs
        ]
    metadata = {"body": body, "date": date, "place": place, "kind": [kind],
                "numbering": "numbered"}
    return Document(doc_id=doc_id, title=kind, metadata=metadata, paragraphs=paragraphs)


def render_txt(document: Document) -> str:
    """The document as a plain-text report in the layout ``index.parser`` reads."""
    meta = document.metadata
    chinese = not meta.get("date", "")[:1].isdigit() or "年" in meta.get("date", "")
    place_line = (f"{meta['date']}，{meta['place']}" if chinese
                  else f"{meta['place']}, {meta['date']}")
    lines = [meta["body"], "", place_line, "", *meta["kind"], ""]
    current: tuple[str, ...] = ()
    for paragraph in document.paragraphs:
        for depth, heading in enumerate(paragraph.section):
            if current[: depth + 1] != paragraph.section[: depth + 1]:
                lines += ["", heading, ""]
        current = paragraph.section
        lines.append(f"{paragraph.number}. {paragraph.text}")
        lines.append("")
    return "\n".join(lines)


def write_corpus(documents: list[Document], folder: str | Path) -> list[Path]:
    """Write each document as ``<doc_id>.txt`` under ``folder``; returns the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for document in documents:
        path = out / f"{document.doc_id}.txt"
        path.write_text(render_txt(document), encoding="utf-8")
        paths.append(path)
    return paths


def generate_questions(count: int, seed: int = 0, *, offset: int = 0) -> list[str]:
    """``count`` distinct questions (Chinese and English alternating), deterministic.

    ``offset`` selects a disjoint slice of the same sequence, so separate measurements
    (search, ask, HTTP) can each use questions no other measurement has asked: the
    answerer caches query embeddings, and a repeated question would measure the cache.
    """
    questions: list[str] = []
    seen: set[str] = set()
    index = offset
    while len(questions) < count:
        rng = _rng(seed, "question", index)
        chinese = index % 2 == 0
        lang = 0 if chinese else 1
        templates = QUESTION_TEMPLATES_ZH if chinese else QUESTION_TEMPLATES_EN
        topic, topic2 = rng.sample(range(len(TOPICS)), 2)
        text = templates[rng.randrange(len(templates))].format(
            actor=ACTORS[rng.randrange(len(ACTORS))][lang].lower() if not chinese
            else ACTORS[rng.randrange(len(ACTORS))][0],
            topic=TOPICS[topic][lang], topic2=TOPICS[topic2][lang])
        # A serial keeps every question distinct however many are asked; it reads like
        # the report symbols questions often carry.
        serial = f"（{index}）" if chinese else f" ({index})"
        text = text[:-1] + serial + text[-1]
        index += 1
        if text not in seen:
            seen.add(text)
            questions.append(text)
    return questions
