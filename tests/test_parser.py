"""Tests of the report parser (no model needed)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from index.errors import InvalidInputError, ParseError
from index.model import Paragraph
from index.parser import (
    decode_report_bytes,
    make_doc_id,
    paragraph_to_dict,
    parse_file,
    parse_text,
)

SEED = Path(__file__).resolve().parents[1] / "corpus" / "000_5d404405fc4855f8.txt"

CHAPTER_2 = ("二. 初步建议和结论清单（续）", "A. 国际合作")
CHAPTER_4 = ("四. 会议安排（续）", "C. 发言情况")

# Written out from the seed line by line (one literal per printed line), joined without
# spaces inside Chinese and with the spaces the report prints within a line.
SEED_TEXTS = {
    1: "在一些发言中，有建议称预防犯罪和刑事司法委员会应延长专家组在网络"
    "犯罪方面的任务期限，并就 2021 年以后的工作计划作出决定，该计划还应包括"
    "新出现的网络犯罪形式以及审查与网上性虐待和性剥削儿童现象有关的议题。",
    2: "此外，有建议称，根据大会第 74/247 号决议设立的不限成员名额特设政府"
    "间专家委员会的工作是拟订一项关于打击为犯罪目的使用信息和通信技术行为"
    "的全面国际公约，该委员会应在专家组完成其建议并于 2021 年将建议提交预防"
    "犯罪和刑事司法委员会之后，方可开始开展工作。",
    3: "但另有发言指出，鉴于大会通过了第 74/247 号决议，专家组的工作没有必"
    "要延续到 2021 年以后。这样便能着重执行该决议和谈判拟订新公约，并最大限"
    "度地利用现有财务资源。",
    4: "一些会员国在发言中欢迎大会通过第 74/247 号决议。据指出，根据大会第 "
    "74/247 号决议拟订新公约的工作应当具有包容性和透明度，并以协商一致为基"
    "础，在这方面，联合国先前缔结《联合国打击跨国有组织犯罪公约》和《联合"
    "国反腐败公约》的进程可作为范例。",
    5: "有呼吁称所有会员国均应积极参与特设委员会拟订新公约的工作。",
    6: "同时，其他发言也指出，就内容而言，任何新公约都应考虑到现有框架和"
    "文书，而且不应与之冲突。有建议称，应在可能的新公约中列入跨境收集证"
    "据、刑事定罪规定和尊重主权等议题。",
    7: "国际社会应优先提供能力建设和其他支持，以加强国家机关应对网络犯罪"
    "的能力，特别是应对网上性虐待和性剥削儿童问题的能力。",
    8: "会员国应相互提供司法协助，以便尽可能广泛地获取电子证据，包括在涉"
    "及利用信息和通信技术实施或煽动恐怖主义或资助恐怖主义的案件中；此外还"
    "指出，私营部门实体有责任在这方面与国家机关合作。",
    9: "会员国应考虑投入资源建立集中化打击网络犯罪专业队伍以及区域刑事调查技术单位。",
    10: "会员国还应考虑在负责司法协助事项的中央机关内部设立单独的打击网络"
    "犯罪单位，作为这一复杂的国际合作领域中的专门知识中心。此类专门单位不"
    "仅促进日常的司法协助实践，而且还可以提供重点突出的能力建设援助，例如"
    "培训，以满足国内外部门关于在网络相关事项中如何快速有效地获得涉及电子"
    "证据的司法协助的需求。",
    11: "会员国应考虑维护电子数据库，以便于查阅收到和发出的涉及电子证据的"
    "司法协助请求的相关统计数据，从而确保对效率和效力进行审查。",
    12: "应提醒会员国发挥中央机关在传递司法协助请求和与主管部门合作执行司"
    "法协助请求方面的关键作用，确保遵守现有条约并减少程序中的延误。",
    13: "在获取数据对网络犯罪行为开展调查方面，鉴于这一复杂的议题需要一个"
    "已证实具有韧性和附加价值的体制框架，各国应以经过验证的国际文书为基"
    "础。在这方面着重强调了《布达佩斯公约》，多年来该公约一直是获取电子证据"
    "的标准，促使世界各地执法机构的日常工作取得切实成果。此外，建议各国减"
    "少在适用法律要求方面的法律冲突，在直接发出出示令的情况下，以接到请求"
    "的互联网服务供应商的所在国立法，或者以嫌疑人所在国的立法为基准。",
    14: "建议建立一个框架，其中明确规定在“地点不明”的情况下，需要着手确"
    "定哪一个领土受到影响才能作出推进调查的决定，并且在该框架中，自动网络必"
    "须是健全的，这样才能就司法管辖权事项和继续调查的最适当方式进行商讨。",
    15: "有建议称，国际法，包括主权、领土完整和不干涉内政的原则应适用于网"
    "络空间，信息和通信技术不应被用作武器，国家支持的攻击活动必须受到谴"
    "责，责任人应被追究责任。",
    16: "下列会员国的专家作了发言：澳大利亚、奥地利、阿塞拜疆、中国、古"
    "巴、法国、德国、希腊、洪都拉斯、匈牙利、印度尼西亚、伊朗伊斯兰共和"
    "国、伊拉克、以色列、意大利、日本、蒙古、新西兰、尼日利亚、巴拉圭、菲"
    "律宾、波兰、西班牙、泰国、联合王国和委内瑞拉玻利瓦尔共和国。",
    17: "下列政府间组织的代表也作了发言：欧洲委员会、欧洲联盟和国际刑事警"
    "察组织。此外，来自北京师范大学的一名观察员也作了发言。",
}

CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”"


@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


# --------------------------------------------------------------------------------------
# The seed report
# --------------------------------------------------------------------------------------


def test_seed_paragraph_numbers(seed):
    assert [p.number for p in seed.paragraphs] == list(range(1, 18))


@pytest.mark.parametrize("number", range(1, 18))
def test_seed_paragraph_text_exact(seed, number):
    assert seed.paragraphs[number - 1].text == SEED_TEXTS[number]


def test_seed_texts_have_no_space_inside_chinese(seed):
    for p in seed.paragraphs:
        assert not re.search(f"[{CJK}] [{CJK}]", p.text), p.number
        assert "  " not in p.text
        assert p.text == p.text.strip()


def test_seed_paragraph_13_ending(seed):
    assert seed.paragraphs[12].text.endswith("或者以嫌疑人所在国的立法为基准。")


def test_seed_no_paragraph_swallows_the_next(seed):
    for p in seed.paragraphs:
        nxt = p.number + 1
        assert f"{nxt}. " not in p.text
        assert f"{nxt}." not in p.text


def test_seed_sections(seed):
    for p in seed.paragraphs[:15]:
        assert p.section == CHAPTER_2
    for p in seed.paragraphs[15:]:
        assert p.section == CHAPTER_4


def test_seed_metadata_and_title(seed):
    meta = seed.metadata
    assert meta["body"] == "全面研究网络犯罪问题专家组"
    assert meta["date"] == "2020 年 7 月 27 日至 29 日"
    assert meta["date_iso"] == "2020-07-27"
    assert meta["place"] == "维也纳"
    assert meta["kind"] == ["报告草稿", "增编"]
    assert meta["numbering"] == "numbered"
    assert meta["encoding"] == "utf-8"
    assert meta["source"] == str(SEED)
    assert meta["paragraph_count"] == 17
    assert seed.title == "全面研究网络犯罪问题专家组 报告草稿 增编"


def test_seed_doc_id_and_citations(seed):
    assert seed.doc_id == "000_5d404405fc4855f8"
    assert all(p.doc_id == seed.doc_id for p in seed.paragraphs)
    assert seed.paragraphs[12].citation_id == "000_5d404405fc4855f8#13"
    assert all(p.page is None for p in seed.paragraphs)


def test_seed_paragraph_to_dict_is_json_ready(seed):
    row = paragraph_to_dict(seed.paragraphs[15])
    assert row == {
        "id": "000_5d404405fc4855f8#16",
        "doc_id": "000_5d404405fc4855f8",
        "paragraph": 16,
        "section": list(CHAPTER_4),
        "text": SEED_TEXTS[16],
        "page": None,
    }
    assert json.loads(json.dumps(row, ensure_ascii=False)) == row


def test_seed_explicit_doc_id(tmp_path):
    doc = parse_file(SEED, doc_id="seed-report")
    assert doc.doc_id == "seed-report"
    assert doc.paragraphs[0].citation_id == "seed-report#1"


# --------------------------------------------------------------------------------------
# Numbering and joining
# --------------------------------------------------------------------------------------


def test_lines_starting_with_digits_are_continuations():
    text = (
        "A. 合作\n\n"
        "1. 根据大会第\n\n74/247 号决议设立的委员会\n"
        "2021 年以后开展工作。\n\n"
        "2. 第二段。\n"
    )
    doc = parse_text(text, "d")
    assert [p.number for p in doc.paragraphs] == [1, 2]
    assert doc.paragraphs[0].text == "根据大会第 74/247 号决议设立的委员会 2021 年以后开展工作。"
    assert doc.paragraphs[1].text == "第二段。"


def test_out_of_sequence_number_stays_continuation():
    text = "1. 第一段开始\n5. 不是新段落的一行\n2. 第二段\n3. 第三段\n"
    doc = parse_text(text, "d")
    assert [p.number for p in doc.paragraphs] == [1, 2, 3]
    assert doc.paragraphs[0].text == "第一段开始 5. 不是新段落的一行"


def test_expected_three_but_five_appears():
    text = "1. One.\n2. Two starts\n5. still two\n3. Three.\n"
    doc = parse_text(text, "d")
    assert [p.text for p in doc.paragraphs] == ["One.", "Two starts 5. still two", "Three."]


def test_first_paragraph_may_have_any_number():
    text = "报告\n\n18. 第十八段\n\n的续行。\n19. 第十九段。\n"
    doc = parse_text(text, "d")
    assert [p.number for p in doc.paragraphs] == [18, 19]
    assert doc.paragraphs[0].text == "第十八段的续行。"


def test_year_at_line_start_inside_paragraph():
    text = "1. 工作计划延续到\n2021 年以后，\n2022 年也一样。\n2. 下一段。\n"
    doc = parse_text(text, "d")
    assert doc.paragraphs[0].text == "工作计划延续到 2021 年以后，2022 年也一样。"


def test_paragraph_numbers_past_9999_start_paragraphs():
    # Four digits at most used to merge every paragraph from 10000 on into paragraph 9999.
    text = "".join(f"{n}. 第{n}段。\n" for n in range(1, 10003))
    doc = parse_text(text, "d")
    assert [p.number for p in doc.paragraphs] == list(range(1, 10003))
    assert [p.text for p in doc.paragraphs[9998:]] == [
        "第9999段。", "第10000段。", "第10001段。", "第10002段。",
    ]


def test_long_numbers_out_of_sequence_stay_continuations():
    text = "1. 开始\n20210. 不是新段落\n1234567890123. 也不是\n2. 第二段。\n"
    doc = parse_text(text, "d")
    assert [p.text for p in doc.paragraphs] == [
        "开始 20210. 不是新段落 1234567890123. 也不是",
        "第二段。",
    ]


def test_paragraph_of_many_wrapped_lines_is_joined_exactly():
    # 25,000 lines in one paragraph; joining them used to copy the growing text at every
    # line (quadratic: 200,000 lines took a minute). The timing itself is left to
    # benchmarks; this pins the joined text the linear join must reproduce.
    lines = ["网络", "犯罪", "Budapest Convention", "", "的作用，", "2021 年"] * 5000
    doc = parse_text("1. " + "\n".join(lines) + "\n2. 下一段。\n", "d")
    assert [p.number for p in doc.paragraphs] == [1, 2]
    assert doc.paragraphs[0].text == "网络犯罪 Budapest Convention 的作用，2021 年" * 5000


def test_english_hard_wraps():
    text = (
        "I. Introduction\n\n"
        "1. The Expert Group recalled the Budapest\n"
        "Convention and   its   protocols.\n\n"
        "2. Member States\nshould cooperate.\n"
    )
    doc = parse_text(text, "en")
    assert [p.text for p in doc.paragraphs] == [
        "The Expert Group recalled the Budapest Convention and its protocols.",
        "Member States should cooperate.",
    ]
    assert doc.paragraphs[0].section == ("I. Introduction",)


def test_mixed_cjk_latin_joins():
    text = (
        "1. 强调了\nBudapest Convention\n的作用，\n（续）\n以及\n“地点\n不明”\n的情况\n2. 第二段\n"
    )
    doc = parse_text(text, "d")
    assert doc.paragraphs[0].text == "强调了 Budapest Convention 的作用，（续）以及“地点不明”的情况"


def test_fullwidth_dot_and_no_space_after_number():
    doc = parse_text("1．第一段。\n2.第二段。\n", "d")
    assert [p.text for p in doc.paragraphs] == ["第一段。", "第二段。"]


def test_decimal_is_not_a_paragraph_start():
    doc = parse_text("1. Growth was\n2.5 per cent.\n2. Next.\n", "d")
    assert [p.text for p in doc.paragraphs] == ["Growth was 2.5 per cent.", "Next."]


def test_text_before_first_paragraph_is_ignored_between_kept():
    text = (
        "Expert Group\n\n"
        "A. Cooperation\n\n"
        "This introductory sentence is not numbered and is longer than a heading line.\n"
        "1. First.\n"
        "Trailing text of the first paragraph.\n"
        "2. Second.\n"
    )
    doc = parse_text(text, "d")
    assert [p.text for p in doc.paragraphs] == [
        "First. Trailing text of the first paragraph.",
        "Second.",
    ]


def test_heading_stack_chapter_resets_section():
    text = (
        "一、总则\n\nA. 甲节\n\n1. 一。\n\nB. 乙节\n\n2. 二。\n\n"
        "二、分则\n\n3. 三。\n\nIV. Organization of work\n\n4. 四。\n"
    )
    doc = parse_text(text, "d")
    assert [p.section for p in doc.paragraphs] == [
        ("一、总则", "A. 甲节"),
        ("一、总则", "B. 乙节"),
        ("二、分则",),
        ("IV. Organization of work",),
    ]


def test_heading_whitespace_is_normalised():
    doc = parse_text("  二.   初步建议   清单  \n\n1. 文字。\n", "d")
    assert doc.paragraphs[0].section == ("二. 初步建议 清单",)


def test_wrapped_heading_tail_is_joined():
    doc = parse_text("四. 会议安排\n\n（续）\n\nC. 发言情况\n\n1. 文字。\n", "d")
    assert doc.paragraphs[0].section == ("四. 会议安排（续）", "C. 发言情况")


def test_sentence_line_is_not_a_heading():
    doc = parse_text("1. 开始\nA. 这是一句完整的话。\n2. 下一段。\n", "d")
    assert doc.paragraphs[0].text == "开始 A. 这是一句完整的话。"
    assert doc.paragraphs[0].section == ()


def test_english_header_metadata():
    text = (
        "UNODC/CCPCJ/EG.4/2020/L.2/Add.1\n\n"
        "Expert Group to Conduct a Comprehensive Study on Cybercrime\n"
        "Vienna, 27–29 July 2020\n\n"
        "Draft report\n\nAddendum\n\n"
        "II. Recommendations (continued)\n\n"
        "1. Text.\n"
    )
    doc = parse_text(text, "en")
    meta = doc.metadata
    assert meta["body"] == "Expert Group to Conduct a Comprehensive Study on Cybercrime"
    assert meta["date"] == "27–29 July 2020"
    assert meta["date_iso"] == "2020-07-27"
    assert meta["place"] == "Vienna"
    assert meta["kind"] == ["Draft report", "Addendum"]
    assert meta["symbol"] == "UNODC/CCPCJ/EG.4/2020/L.2/Add.1"
    assert (
        doc.title
        == "Expert Group to Conduct a Comprehensive Study on Cybercrime Draft report Addendum"
    )


def test_no_paragraphs_found():
    with pytest.raises(ParseError, match=r"^report\.txt: no paragraphs found"):
        parse_text("报告草稿\n\n增编\n\n二. 章\n\n", "d", source="report.txt")


# --------------------------------------------------------------------------------------
# Blocks mode and Markdown
# --------------------------------------------------------------------------------------


def test_blocks_document(tmp_path):
    text = (
        "Note by the Secretariat\n\n"
        "A. Background\n\n"
        "The Group met in Vienna and\ndiscussed its work plan.\n\n"
        "It adopted its report.\n\n"
        "B. Outcome\n\n"
        "会议通过了\n报告。\n"
    )
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    doc = parse_file(path)
    assert doc.metadata["numbering"] == "blocks"
    assert doc.metadata["kind"] == ["Note by the Secretariat"]
    assert [(p.number, p.section, p.text) for p in doc.paragraphs] == [
        (1, ("A. Background",), "The Group met in Vienna and discussed its work plan."),
        (2, ("A. Background",), "It adopted its report."),
        (3, ("B. Outcome",), "会议通过了报告。"),
    ]


def test_blocks_without_headings_or_header():
    doc = parse_text("First block\nwraps here\n\nSecond block\n", "d")
    assert doc.metadata["numbering"] == "blocks"
    assert [p.text for p in doc.paragraphs] == ["First block wraps here", "Second block"]


def test_markdown_headings_and_numbered_items(tmp_path):
    text = (
        "# Expert group report\n\n"
        "## A. Cooperation\n\n"
        "1. States should\ncooperate.\n"
        "3. not a start\n"
        "2. Second item.\n\n"
        "### Details\n\n"
        "3. Third item.\n\n"
        "## B. Other\n\n"
        "4. Fourth.\n"
    )
    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    doc = parse_file(path)
    assert doc.metadata["numbering"] == "numbered"
    assert [(p.number, p.section, p.text) for p in doc.paragraphs] == [
        (1, ("Expert group report", "A. Cooperation"), "States should cooperate. 3. not a start"),
        (2, ("Expert group report", "A. Cooperation"), "Second item."),
        (3, ("Expert group report", "A. Cooperation", "Details"), "Third item."),
        (4, ("Expert group report", "B. Other"), "Fourth."),
    ]


def test_markdown_blocks_strip_bullets(tmp_path):
    path = tmp_path / "notes.markdown"
    path.write_text("# Notes\n\n- first point\n\n* second point\n", encoding="utf-8")
    doc = parse_file(path)
    assert doc.metadata["numbering"] == "blocks"
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        (("Notes",), "first point"),
        (("Notes",), "second point"),
    ]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_hash_headings_form_sections_in_text_files_too(tmp_path, suffix):
    # A .txt file used to index "## Sub" as a paragraph of its own, with no sections.
    path = tmp_path / f"notes{suffix}"
    path.write_text("# Intro\n\nSome text here.\n\n## Sub\n\nMore text.\n", encoding="utf-8")
    doc = parse_file(path)
    assert [(p.number, p.section, p.text) for p in doc.paragraphs] == [
        (1, ("Intro",), "Some text here."),
        (2, ("Intro", "Sub"), "More text."),
    ]


def test_text_file_of_hash_and_lettered_headings_only_has_no_paragraphs(tmp_path):
    # It used to be indexed as one paragraph "# Heading ## Sub".
    path = tmp_path / "headings.txt"
    path.write_text("# Heading\n## Sub\nII. Heading\nA. Another\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: no paragraphs found"


def test_hash_heading_in_text_has_no_wrapped_tail():
    doc = parse_text("# Cooperation\nStates agreed\n\nThey met.\n", "d")
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        (("Cooperation",), "States agreed"),
        (("Cooperation",), "They met."),
    ]


def test_wrapped_line_starting_with_hash_stays_body_text():
    doc = parse_text("1. The number\n# of cases rose.\n2. Next.\n", "d")
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        ((), "The number # of cases rose."),
        ((), "Next."),
    ]


def test_a_wrapped_hash_line_without_a_full_stop_stays_body_text():
    # Short and not ending like a sentence, but inside a paragraph: a "#" heading in
    # plain text stands after a blank line (or first), so this is the sentence going on.
    doc = parse_text("1. The report counts, including the\n"
                     "# of cases reported and the # of requests\n"
                     "received during the year.\n2. Next.\n3. Last.\n", "d")
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        ((), "The report counts, including the # of cases reported and the # of requests "
             "received during the year."),
        ((), "Next."),
        ((), "Last."),
    ]
    # pdftotext puts blank lines between wrapped lines (as in the seed report): the
    # sentence still goes on, and no word of it is lost.
    doc = parse_text("Report\n\n1. The table below counts the \n\n# of cases reported in 2019 "
                     "and the number of victims \n\nidentified by Member States. \n\n"
                     "2. Second paragraph here. \n", "d")
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        ((), "The table below counts the # of cases reported in 2019 and the number of "
             "victims identified by Member States."),
        ((), "Second paragraph here."),
    ]
    # After a finished sentence, or first, it is a heading.
    doc = parse_text("1. One.\n\n# Annex\n\n2. Two.\n", "d")
    assert [p.section for p in doc.paragraphs] == [(), ("Annex",)]


def test_roman_one_after_a_hash_heading_is_a_chapter():
    # "## Hello" is no lettered section H, so "I." after it starts a chapter.
    doc = parse_text("# Report\n\n## Hello\n\n1. One.\n\nI. Introduction\n\n2. Two.\n", "d")
    assert [p.section for p in doc.paragraphs] == [("Report", "Hello"), ("I. Introduction",)]


# --------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------

SAMPLE = "全面研究网络犯罪问题专家组\n\n1. 在一些发言中，有建议称\n\n网络犯罪。\n2. 第二段。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + SAMPLE.encode("utf-32-le"), "utf-32-le"),
        (SAMPLE.encode("gb18030"), "gb18030"),
    ],
)
def test_decode_encodings(tmp_path, data, encoding):
    text, used = decode_report_bytes(data, "r.txt")
    assert (text, used) == (SAMPLE, encoding)
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = parse_file(path)
    assert doc.metadata["encoding"] == encoding
    assert [p.text for p in doc.paragraphs] == ["在一些发言中，有建议称网络犯罪。", "第二段。"]


NOT_ACCEPTED = (
    "not in an accepted encoding (UTF-8, UTF-16 or UTF-32 with a byte-order mark, GB18030)"
)


OTHER_ENCODING = (f"{NOT_ACCEPTED}; {{}}, which is not UTF-8, and the file does not read as "
                  f"GB18030 Chinese; save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t "
                  f"UTF-8, or -f BIG5, whichever it is in)")
STRAY_BYTES = "not valid UTF-8 at {}; save the file as UTF-8"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Latin-1 and cp1252 used to be guessed (as cp1250: "naïve" → "naďve").
        (("Café résumé déjà vu. " * 20).encode("cp1252"),
         OTHER_ENCODING.format("line 1 has byte 0xE9")),
        ("1. Привет всем друзьям.\n".encode("koi8-r"),
         OTHER_ENCODING.format("line 1 has byte 0xF0")),
        ("1. 這是繁體中文的測試。\n".encode("big5"), OTHER_ENCODING.format("line 1 has byte 0xB3")),
        # Korean EUC-KR and Japanese EUC-JP are valid GB18030, all GB2312 characters, but
        # rare ones in random order ("사이버 범죄" read as "荤捞滚 裹了").
        ("1. 사이버 범죄에 관한 포괄적 연구를 위한 전문가 그룹 회의.\n".encode("euc-kr"),
         OTHER_ENCODING.format("line 1 has byte 0xBB")),
        ("1. サイバー犯罪に関する包括的研究のための専門家グループ会合。\n".encode("euc_jp"),
         OTHER_ENCODING.format("line 1 has byte 0xA5")),
        # UTF-8 curly quotes and dashes, then one word saved as Latin-1: this used to be
        # guessed as a legacy code page and indexed garbled ("‚Äúwelcomed‚ÄĚ", "Cafť").
        ("1. The Expert Group “welcomed” the report — and the Secretariat’s work.\n".encode()
         + "2. It met in Vienna (Café room) in 2020.\n".encode("latin-1"),
         STRAY_BYTES.format("line 2, byte 0xE9")),
        (b"\xef\xbb\xbf" + "1. “Quoted”.\n\n2. Caf".encode() + b"\xe9.\n",
         STRAY_BYTES.format("line 3, byte 0xE9")),
        (SAMPLE.encode()[:30] + "été".encode("latin-1") + SAMPLE.encode()[30:],
         STRAY_BYTES.format("line 1, byte 0xE9")),
        # A few stray bytes in otherwise ASCII text: the line and byte to fix.
        ("1. Café naïve.\n2. Second.\n".encode("latin-1"), STRAY_BYTES.format("line 1, byte 0xE9")),
        ("1. “Quoted” text.\n".encode("cp1252"), STRAY_BYTES.format("line 1, byte 0x93")),
        # Strict GB18030 accepts these bytes ("R殚lu"): two accented letters make one
        # GB2312 ideograph, but one inside a Latin word is no Chinese text.
        ("Title\n\n1. Réélu.\n".encode("latin-1"), STRAY_BYTES.format("line 3, byte 0xE9")),
    ],
)
def test_other_encodings_are_refused_not_guessed(tmp_path, data, message):
    path = tmp_path / "legacy.txt"
    path.write_bytes(data)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: {message}"


def test_gb18030_english_with_a_few_chinese_words_is_decoded():
    text = "1. The 中国 delegation met on 5 月 6 日.\n"
    assert decode_report_bytes(text.encode("gb18030"), "r.txt") == (text, "gb18030")


@pytest.mark.parametrize("text", [
    # Spaced out, as PDF extraction leaves it.
    "1. 网 络 犯 罪 问 题 专 家 组 的 报 告 。\n2. 会 员 国 应 相 互 提 供 司 法 协 助 。\n",
    # A table: characters between numbers.
    "第 1 条 2001 年 2 月 2 日\n第 2 条 2002 年 3 月 4 日\n",
    # English with Chinese words in brackets, acronyms among Chinese words.
    "1. Article 5 (第5条) and table 1 (表 1) apply.\n",
    "1. 关于ICT的UNODC报告\n",
])
def test_gbk_chinese_in_its_commonest_characters_is_decoded(text):
    assert decode_report_bytes(text.encode("gbk"), "r.txt") == (text, "gb18030")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t ", b"\xef\xbb\xbf \n"])
def test_empty_file(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: the file is empty"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"hello\x00world",
        bytes(range(1, 8)) * 20,
    ],
)
def test_binary_file(tmp_path, data):
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value) == f"{path}: looks like a binary file, not a text report"


def test_undecodable_bytes():
    with pytest.raises(ParseError) as err:
        decode_report_bytes(b"\x81\xff\x81\xfe\xa0" * 3, "bad.txt")
    assert str(err.value) == "bad.txt: " + OTHER_ENCODING.format("line 1 has byte 0x81")


# --------------------------------------------------------------------------------------
# Files and ids
# --------------------------------------------------------------------------------------


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "report.odt"
    path.write_bytes(b"%PDF-1.7")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    for suffix in (".txt", ".md", ".markdown"):
        assert suffix in message


def test_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: cannot read the file")
    assert "No such file" in str(err.value)


def test_directory_is_unreadable(tmp_path):
    path = tmp_path / "dir.txt"
    path.mkdir()
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def test_uppercase_suffix_and_pathlike(tmp_path):
    path = tmp_path / "REPORT.TXT"
    path.write_text("1. Text.\n", encoding="utf-8")
    doc = parse_file(str(path))
    assert doc.doc_id == "REPORT"


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("000_5d404405fc4855f8", "000_5d404405fc4855f8"),
        ("A.2020.L-2", "A.2020.L-2"),
        ("my report (final)", "my-report-final"),
        ("_hidden", "hidden"),
        ("E/CN.15/2021", "E-CN.15-2021"),
        ("报告 v2", "v2"),
        ("a..b", "a.b"),
    ],
)
def test_make_doc_id(stem, expected):
    assert make_doc_id(stem) == expected


def test_make_doc_id_chinese_only_stem():
    stem = "网络犯罪报告"
    expected = "doc-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:12]
    assert make_doc_id(stem) == expected
    assert make_doc_id("...") == "doc-" + hashlib.sha1(b"...").hexdigest()[:12]


def test_make_doc_id_long_stem_is_truncated():
    result = make_doc_id("x" * 200 + " y")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}", result)


def test_chinese_file_name_gets_hash_id(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_text("1. 文字。\n", encoding="utf-8")
    assert parse_file(path).doc_id == make_doc_id("报告")


@pytest.mark.parametrize("bad", ["a/b", "../etc", "a..b", "has space", "", "-lead", "x" * 129])
def test_unsafe_explicit_doc_id_refused(bad):
    with pytest.raises(InvalidInputError, match="doc id"):
        parse_file(SEED, doc_id=bad)
    with pytest.raises(InvalidInputError, match="doc id"):
        parse_text("1. Text.\n", bad)


def test_paragraph_to_dict_keys():
    p = Paragraph(doc_id="d", number=3, section=("A",), text="t", page=2)
    assert paragraph_to_dict(p) == {
        "id": "d#3",
        "doc_id": "d",
        "paragraph": 3,
        "section": ["A"],
        "text": "t",
        "page": 2,
    }


def test_letter_i_after_h_is_a_section_not_a_chapter():
    text = "II. Chapter\n\nH. Eighth\n\n1. One.\n\nI. Ninth\n\n2. Two.\n\nIII. Next\n\n3. Three.\n"
    doc = parse_text(text, "d")
    assert [p.section for p in doc.paragraphs] == [
        ("II. Chapter", "H. Eighth"),
        ("II. Chapter", "I. Ninth"),
        ("III. Next",),
    ]


def test_distribution_line_with_date_is_not_a_place():
    doc = parse_text("Distr.: General 30 July 2020\n\n1. Text.\n", "d")
    assert doc.metadata["date_iso"] == "2020-07-30"
    assert "place" not in doc.metadata
