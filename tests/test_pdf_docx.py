"""Tests of the PDF and Word readers on files the tests build (Chinese and English)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE  # noqa: E402
from docx.opc.packuri import PackURI  # noqa: E402
from docx.opc.part import Part  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.pdfencrypt import StandardEncryption  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from index.errors import ParseError  # noqa: E402
from index.parser import SUPPORTED_SUFFIXES, parse_file  # noqa: E402

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
WIDTH, HEIGHT = A4

SYMBOL = "UNODC/CCPCJ/EG.4/2020/L.1/Add.1"
SLUG = "UNODC-CCPCJ-EG.4-2020-L.1-Add.1"
JOB = "V.20-03819"
CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"

# --------------------------------------------------------------------------------------
# Building PDFs
# --------------------------------------------------------------------------------------

# A body item: (text, font size, extra space above). The text is a string, or a tuple
# (before, mark, after) for a line with a raised footnote reference mark.
BodyItem = tuple


def build_pdf(
    path: Path,
    pages: list[dict],
    font: str,
    *,
    symbol: str | None = SYMBOL,
    footer: str = "{n}/{total}",
    footnote_size: float = 8,
    separator: bool = False,
    encrypt: StandardEncryption | None = None,
) -> Path:
    """Draw numbered paragraphs page by page with running header, footer, footnotes."""
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        # Running header: the symbol at the left, the job number at the right.
        c.setFont(font, 9)
        if symbol:
            c.drawString(72, HEIGHT - 40, symbol)
        c.drawRightString(WIDTH - 72, HEIGHT - 40, JOB)
        y = HEIGHT - 90
        for item in page["body"]:
            text, size = item[0], item[1]
            y -= item[2] if len(item) > 2 else 0
            if isinstance(text, tuple):
                before, mark, after = text
                c.setFont(font, size)
                c.drawString(72, y, before)
                x = 72 + pdfmetrics.stringWidth(before, font, size)
                c.setFont(font, size * 0.55)
                c.drawString(x, y + size * 0.4, mark)
                x += pdfmetrics.stringWidth(mark, font, size * 0.55)
                c.setFont(font, size)
                c.drawString(x, y, after)
            else:
                c.setFont(font, size)
                c.drawString(72, y, text)
            y -= size * 1.4
        # Footnotes from the bottom up, above the footer.
        fy = 90
        notes = page.get("footnotes", [])
        for mark, lines in reversed(notes):
            for i, line in enumerate(reversed(lines)):
                c.setFont(font, footnote_size)
                c.drawString(84, fy, line)
                if i == len(lines) - 1 and mark:
                    c.setFont(font, footnote_size * 0.6)
                    c.drawString(72, fy + 3, mark)
                fy += footnote_size * 1.3
        if separator and notes:
            c.setFont(font, footnote_size)
            c.drawString(72, fy + 4, "__________________")
        # Footer: the job number and the page number.
        c.setFont(font, 9)
        c.drawString(72, 40, JOB)
        c.drawRightString(WIDTH - 72, 40, footer.format(n=n, total=total))
        c.showPage()
    c.save()
    return path


ZH_PAGES = [
    {
        "body": [
            ("全面研究网络犯罪问题专家组", 12),
            ("2020 年 7 月 27 日至 29 日，维也纳", 11, 4),
            ("报告草稿", 12, 10),
            ("增编", 12, 4),
            ("二. 初步建议和结论清单（续）", 11, 14),
            ("A. 国际合作", 11, 6),
            ("1. 在一些发言中，有建议称预防犯罪和刑事司法委员会应延长专家组在网络", 11, 6),
            ("犯罪方面的任务期限，并就 2021 年以后的工作计划作出决定。", 11),
            (("2. 有建议称，根据大会第 74/247 号决议", "1", "（A/RES/74/247）设立的特设"), 11, 6),
            ("委员会应在专家组完成其建议之后开始工作。", 11),
            ("3. 会员国应相互提供司法协助，以便尽可能广泛地获取电子证据，", 11, 6),
        ],
        "footnotes": [("1", ["见 A/RES/74/247 号文件。"])],
    },
    {
        "body": [
            ("包括在涉及恐怖主义的案件中。", 11),
            ("四. 会议安排（续）", 11, 14),
            ("C. 发言情况", 11, 6),
            (("4. 下列会员国的专家作了发言：澳大利亚、奥地利、中国", "2", "。"), 11, 6),
        ],
        "footnotes": [("2", ["名单按中文笔画排列，", "不代表任何立场。"])],
    },
    {"body": [("5. 下列政府间组织的代表也作了发言：欧洲委员会和欧洲联盟。", 11)]},
]

ZH_SECTION_2 = ("二. 初步建议和结论清单（续）", "A. 国际合作")
ZH_SECTION_4 = ("四. 会议安排（续）", "C. 发言情况")
ZH_EXPECTED = [
    (
        1,
        1,
        ZH_SECTION_2,
        "在一些发言中，有建议称预防犯罪和刑事司法委员会应延长专家组在网络犯罪方面的任务期限，"
        "并就 2021 年以后的工作计划作出决定。",
    ),
    (
        2,
        1,
        ZH_SECTION_2,
        "有建议称，根据大会第 74/247 号决议（A/RES/74/247）设立的特设委员会应在专家组完成其建议"
        "之后开始工作。",
    ),
    (
        3,
        1,
        ZH_SECTION_2,
        "会员国应相互提供司法协助，以便尽可能广泛地获取电子证据，包括在涉及恐怖主义的案件中。",
    ),
    (4, 2, ZH_SECTION_4, "下列会员国的专家作了发言：澳大利亚、奥地利、中国。"),
    (5, 3, ZH_SECTION_4, "下列政府间组织的代表也作了发言：欧洲委员会和欧洲联盟。"),
]
ZH_FOOTNOTES = [
    {"page": 1, "marker": "1", "text": "见 A/RES/74/247 号文件。"},
    {"page": 2, "marker": "2", "text": "名单按中文笔画排列，不代表任何立场。"},
]

EN_PAGES = [
    {
        "body": [
            ("Expert Group to Conduct a Comprehensive Study on Cybercrime", 12),
            ("Vienna, 27-29 July 2020", 11, 4),
            ("Draft report", 12, 10),
            ("Addendum", 12, 4),
            ("II. List of preliminary recommendations (continued)", 11, 14),
            ("A. International cooperation", 11, 6),
            ("1. In some statements, it was suggested that the Commission should extend", 11, 6),
            ("the mandate of the Expert Group beyond 2021.", 11),
            (("2. It was suggested that the committee established by resolution", "1", ""), 11, 6),
            ("74/247 should start its work only after the Expert Group.", 11),
            ("3. Member States should afford one another mutual legal assistance,", 11, 6),
        ],
        "footnotes": [("1", ["See A/RES/74/247."])],
    },
    {
        "body": [
            ("including in cases involving terrorism.", 11),
            ("IV. Organization of the meeting (continued)", 11, 14),
            ("C. Statements", 11, 6),
            ("4. Statements were made by experts from Australia, Austria and China.", 11, 6),
        ],
    },
    {"body": [("5. Statements were also made by the Council of Europe.", 11)]},
]
EN_SECTION_2 = (
    "II. List of preliminary recommendations (continued)",
    "A. International cooperation",
)
EN_SECTION_4 = ("IV. Organization of the meeting (continued)", "C. Statements")
EN_EXPECTED = [
    (
        1,
        1,
        EN_SECTION_2,
        "In some statements, it was suggested that the Commission should extend the mandate "
        "of the Expert Group beyond 2021.",
    ),
    (
        2,
        1,
        EN_SECTION_2,
        "It was suggested that the committee established by resolution 74/247 should start "
        "its work only after the Expert Group.",
    ),
    (
        3,
        1,
        EN_SECTION_2,
        "Member States should afford one another mutual legal assistance, including in cases "
        "involving terrorism.",
    ),
    (4, 2, EN_SECTION_4, "Statements were made by experts from Australia, Austria and China."),
    (5, 3, EN_SECTION_4, "Statements were also made by the Council of Europe."),
]


def shape(document):
    return [(p.number, p.page, p.section, p.text) for p in document.paragraphs]


def assert_no_furniture(document):
    for p in document.paragraphs:
        assert JOB not in p.text, p.number
        assert SYMBOL not in p.text, p.number
        assert not re.search(r"\b\d/3\b", p.text), p.number
        assert "Page " not in p.text, p.number
        for note in document.metadata.get("footnotes", []):
            assert note["text"] not in p.text


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zh_pdf(tmp_path_factory):
    path = build_pdf(tmp_path_factory.mktemp("pdf") / "report-zh.pdf", ZH_PAGES, CJK_FONT)
    return path, parse_file(path)


@pytest.fixture(scope="module")
def en_pdf(tmp_path_factory):
    path = build_pdf(
        tmp_path_factory.mktemp("pdf") / "report-en.pdf",
        EN_PAGES,
        "Helvetica",
        footer="Page {n}",
    )
    return path, parse_file(path)


def test_suffixes_include_pdf_and_docx():
    assert {".txt", ".md", ".markdown", ".pdf", ".docx"} == set(SUPPORTED_SUFFIXES)


def test_zh_pdf_paragraphs_exact(zh_pdf):
    _, doc = zh_pdf
    assert shape(doc) == ZH_EXPECTED


def test_zh_pdf_has_no_page_furniture_or_footnotes_in_text(zh_pdf):
    _, doc = zh_pdf
    assert_no_furniture(doc)
    for p in doc.paragraphs:
        assert not re.search(f"[{CJK}] [{CJK}]", p.text), p.number


def test_zh_pdf_identity(zh_pdf):
    path, doc = zh_pdf
    meta = doc.metadata
    assert doc.doc_id == f"{SLUG}.zh"
    assert all(p.doc_id == doc.doc_id for p in doc.paragraphs)
    assert doc.paragraphs[3].citation_id == f"{SLUG}.zh#4"
    assert meta["symbol"] == SYMBOL
    assert meta["version_of"] == SLUG
    assert meta["language"] == "zh"
    assert meta["format"] == "pdf"
    assert meta["page_count"] == 3
    assert meta["source"] == str(path)
    assert meta["numbering"] == "numbered"
    assert meta["paragraph_count"] == 5


def test_zh_pdf_header_metadata(zh_pdf):
    _, doc = zh_pdf
    meta = doc.metadata
    assert meta["body"] == "全面研究网络犯罪问题专家组"
    assert meta["date_iso"] == "2020-07-27"
    assert meta["place"] == "维也纳"
    assert meta["kind"] == ["报告草稿", "增编"]
    assert doc.title == "全面研究网络犯罪问题专家组 报告草稿 增编"


def test_zh_pdf_footnotes_kept_apart(zh_pdf):
    _, doc = zh_pdf
    assert doc.metadata["footnotes"] == ZH_FOOTNOTES


def test_en_pdf_paragraphs_exact(en_pdf):
    _, doc = en_pdf
    assert shape(doc) == EN_EXPECTED
    assert_no_furniture(doc)
    assert doc.metadata["footnotes"] == [{"page": 1, "marker": "1", "text": "See A/RES/74/247."}]


def test_language_versions_share_symbol_and_numbers(zh_pdf, en_pdf):
    _, zh = zh_pdf
    _, en = en_pdf
    assert en.doc_id == f"{SLUG}.en"
    assert en.metadata["language"] == "en"
    assert en.metadata["version_of"] == zh.metadata["version_of"] == SLUG
    assert en.doc_id != zh.doc_id
    assert [p.number for p in en.paragraphs] == [p.number for p in zh.paragraphs]
    assert (
        en.title
        == "Expert Group to Conduct a Comprehensive Study on Cybercrime Draft report Addendum"
    )


def test_explicit_doc_id_wins_but_symbol_is_recorded(tmp_path):
    path = build_pdf(tmp_path / "r.pdf", ZH_PAGES, CJK_FONT)
    doc = parse_file(path, doc_id="my-report")
    assert doc.doc_id == "my-report"
    assert doc.paragraphs[0].citation_id == "my-report#1"
    assert doc.metadata["version_of"] == SLUG


def test_symbol_cited_in_body_is_not_the_identity(tmp_path):
    # No symbol in the running header: the A/RES/74/247 and "resolution 74/247" in the
    # paragraphs and the footnote name another document.
    path = build_pdf(tmp_path / "无符号 report.pdf", ZH_PAGES, CJK_FONT, symbol=None)
    doc = parse_file(path)
    assert doc.doc_id == "report"
    assert "symbol" not in doc.metadata
    assert "version_of" not in doc.metadata
    assert doc.metadata["language"] == "zh"
    assert shape(doc) == ZH_EXPECTED


def test_footnotes_below_a_separator_in_body_size(tmp_path):
    # No smaller font to tell footnotes by: the "____" separator marks them.
    path = build_pdf(tmp_path / "sep.pdf", ZH_PAGES, CJK_FONT, footnote_size=11, separator=True)
    doc = parse_file(path)
    assert shape(doc) == ZH_EXPECTED
    assert doc.metadata["footnotes"] == ZH_FOOTNOTES


def test_pdf_without_numbers_is_blocks_split_by_vertical_gaps(tmp_path):
    pages = [
        {
            "body": [
                ("Note by the Secretariat", 12),
                ("A. Background", 11, 14),
                ("The Group met in Vienna and", 11, 8),
                ("discussed its work plan.", 11),
                ("It adopted its report and", 11, 8),
            ]
        },
        {"body": [("thanked the host.", 11), ("会议通过了", 11, 8), ("报告。", 11)]},
    ]
    path = build_pdf(tmp_path / "note.pdf", pages, CJK_FONT, symbol="E/CN.15/2021/1")
    doc = parse_file(path)
    assert doc.metadata["numbering"] == "blocks"
    assert doc.metadata["kind"] == ["Note by the Secretariat"]
    assert shape(doc) == [
        (1, 1, ("A. Background",), "The Group met in Vienna and discussed its work plan."),
        (2, 1, ("A. Background",), "It adopted its report and thanked the host."),
        (3, 2, ("A. Background",), "会议通过了报告。"),
    ]
    assert doc.doc_id == "E-CN.15-2021-1.en"


def test_owner_password_only_pdf_is_read(tmp_path):
    # Printing/copying restrictions only: any viewer opens it without a password.
    encrypt = StandardEncryption("", ownerPassword="owner", canModify=0)
    path = build_pdf(
        tmp_path / "locked.pdf", EN_PAGES, "Helvetica", footer="Page {n}", encrypt=encrypt
    )
    assert shape(parse_file(path)) == EN_EXPECTED


def test_pdf_whose_text_cannot_be_decoded_is_refused(tmp_path):
    # pdfminer cannot map this encrypted CID font's glyphs to Unicode: "(cid:3206)…".
    encrypt = StandardEncryption("", ownerPassword="owner", canModify=0)
    path = build_pdf(tmp_path / "cid.pdf", ZH_PAGES, CJK_FONT, encrypt=encrypt)
    with pytest.raises(ParseError, match=r"text layer cannot be decoded") as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def test_password_protected_pdf_is_refused(tmp_path):
    encrypt = StandardEncryption("secret", ownerPassword="owner")
    path = build_pdf(tmp_path / "secret.pdf", ZH_PAGES, CJK_FONT, encrypt=encrypt)
    with pytest.raises(ParseError, match=r"encrypted and needs a password") as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def _image_only_pdf(path: Path) -> Path:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        image.putpixel((x, 50), (0, 0, 0))
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.drawImage(ImageReader(image), 72, 400, width=400, height=200)
        c.showPage()
    c.save()
    return path


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    path = _image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ParseError, match=r"no text layer") as err:
        parse_file(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert "OCR" in message


def test_blank_pdf_is_refused(tmp_path):
    path = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.showPage()
    c.save()
    with pytest.raises(ParseError, match=r"^.*blank\.pdf: the PDF has no text layer"):
        parse_file(path)


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7", b"not a pdf at all", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF"],
)
def test_corrupt_pdf_is_refused(tmp_path, content):
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def test_truncated_pdf_is_refused(tmp_path):
    good = build_pdf(tmp_path / "good.pdf", ZH_PAGES, CJK_FONT)
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good.read_bytes()[:400])
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def test_missing_pdf(tmp_path):
    path = tmp_path / "missing.pdf"
    with pytest.raises(ParseError, match=r"cannot read the file"):
        parse_file(path)


# --------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------


def _header_and_footer(document, symbol: str | None = SYMBOL) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = symbol or ""
    section.header.add_paragraph(JOB)
    section.footer.paragraphs[0].text = f"{JOB}    2/3"


def _add_footnote(document, paragraph, text: str) -> None:
    """Attach a real Word footnote (python-docx has no API for it: build the part)."""
    body = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="7"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    ).encode()
    part = Part(
        PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, body, document.part.package
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = paragraph.add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "7")
    run._r.append(reference)


ZH_DOCX_EXPECTED = [
    (
        1,
        None,
        ZH_SECTION_2,
        "在一些发言中，有建议称预防犯罪和刑事司法委员会应延长专家组在网络犯罪方面的任务期限。",
    ),
    (2, None, ZH_SECTION_2, "有建议称，根据大会第 74/247 号决议设立的特设委员会应在之后开始工作。"),
    (3, None, ZH_SECTION_4, "下列会员国的专家作了发言：澳大利亚、奥地利、中国。"),
]


def _zh_docx(path: Path) -> Path:
    document = docx.Document()
    _header_and_footer(document)
    for line in (
        "全面研究网络犯罪问题专家组",
        "2020 年 7 月 27 日至 29 日，维也纳",
        "报告草稿",
        "增编",
    ):
        document.add_paragraph(line)
    document.add_heading(ZH_SECTION_2[0], level=1)
    document.add_heading(ZH_SECTION_2[1], level=2)
    document.add_paragraph(f"1.\t{ZH_DOCX_EXPECTED[0][3]}")
    second = document.add_paragraph(f"2.\t{ZH_DOCX_EXPECTED[1][3][:-1]}")
    _add_footnote(document, second, "见 A/RES/74/247。")
    second.add_run("。")
    document.add_heading(ZH_SECTION_4[0], level=1)
    document.add_heading(ZH_SECTION_4[1], level=2)
    document.add_paragraph(f"3.\t{ZH_DOCX_EXPECTED[2][3]}")
    document.save(str(path))
    return path


def test_zh_docx_literal_numbers(tmp_path):
    path = _zh_docx(tmp_path / "report-zh.docx")
    doc = parse_file(path)
    assert shape(doc) == ZH_DOCX_EXPECTED
    assert doc.doc_id == f"{SLUG}.zh"
    assert doc.metadata["symbol"] == SYMBOL
    assert doc.metadata["version_of"] == SLUG
    assert doc.metadata["language"] == "zh"
    assert doc.metadata["format"] == "docx"
    assert doc.metadata["kind"] == ["报告草稿", "增编"]
    assert doc.title == "全面研究网络犯罪问题专家组 报告草稿 增编"
    assert doc.metadata["footnotes"] == [{"page": None, "marker": "1", "text": "见 A/RES/74/247。"}]
    assert_no_furniture(doc)


def _numbered_docx(path: Path, with_restart: bool = False) -> Path:
    """An English report numbered by Word's list numbering only (no digits in the text)."""
    document = docx.Document()
    _header_and_footer(document, symbol="A/RES/74/247")
    document.add_paragraph("General Assembly")
    document.add_paragraph("Distr.: General 20 January 2020")
    document.add_paragraph("Resolution adopted by the General Assembly on 27 December 2019")
    document.add_heading("Introduction", level=1)
    document.add_paragraph(
        "The General Assembly recalls its resolution 73/187.", style="List Number"
    )
    document.add_paragraph("Decides to establish an open-ended committee.", style="List Number")
    document.add_paragraph("The committee shall meet in New York.")
    document.add_heading("Organization of work", level=1)
    document.add_heading("Sessions", level=2)
    document.add_paragraph(
        "Requests the Secretary-General to report on the work.", style="List Number"
    )
    document.save(str(path))
    return path


def test_en_docx_word_list_numbering(tmp_path):
    path = _numbered_docx(tmp_path / "res.docx")
    doc = parse_file(path)
    assert shape(doc) == [
        (1, None, ("Introduction",), "The General Assembly recalls its resolution 73/187."),
        (
            2,
            None,
            ("Introduction",),
            "Decides to establish an open-ended committee. The committee shall meet in New York.",
        ),
        (
            3,
            None,
            ("Organization of work", "Sessions"),
            "Requests the Secretary-General to report on the work.",
        ),
    ]
    assert doc.doc_id == "A-RES-74-247.en"
    assert doc.metadata["symbol"] == "A/RES/74/247"
    assert doc.metadata["language"] == "en"
    assert doc.metadata["numbering"] == "numbered"
    assert doc.metadata["footnotes"] == []


def test_docx_list_numbering_with_restart_and_sub_levels(tmp_path):
    """Paragraph numbers continue past a sub-list; (a), (b) stay inside their paragraph."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree

    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{w}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>'
    )
    numbering.insert(0, abstract)
    numbering.append(
        etree.fromstring(f'<w:num xmlns:w="{w}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )

    def item(text: str, level: int) -> None:
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = 90

    document.add_heading("I. Mandate", level=1)
    item("The Commission decides:", 0)
    item("To meet annually;", 1)
    item("To report to the Council;", 1)
    item("The Commission requests the secretariat to assist it.", 0)
    document.add_paragraph("A. Outcome")
    item("The Commission adopts this resolution.", 0)
    path = tmp_path / "lists.docx"
    document.save(str(path))
    doc = parse_file(path)
    assert shape(doc) == [
        (
            1,
            None,
            ("I. Mandate",),
            "The Commission decides: (a) To meet annually; (b) To report to the Council;",
        ),
        (2, None, ("I. Mandate",), "The Commission requests the secretariat to assist it."),
        (3, None, ("I. Mandate", "A. Outcome"), "The Commission adopts this resolution."),
    ]
    assert doc.doc_id == "lists"  # no symbol anywhere: the file stem


def test_docx_without_numbers_is_blocks(tmp_path):
    document = docx.Document()
    document.add_paragraph("Note by the Secretariat")
    document.add_heading("Background", level=1)
    document.add_paragraph("The Group met in Vienna.")
    document.add_paragraph("会议通过了报告。")
    path = tmp_path / "note.docx"
    document.save(str(path))
    doc = parse_file(path)
    assert doc.metadata["numbering"] == "blocks"
    assert shape(doc) == [
        (1, None, ("Background",), "The Group met in Vienna."),
        (2, None, ("Background",), "会议通过了报告。"),
    ]


@pytest.mark.parametrize("kind", ["garbage", "zip-without-document", "bad-xml"])
def test_corrupt_docx_is_refused(tmp_path, kind):
    path = tmp_path / "broken.docx"
    if kind == "garbage":
        path.write_bytes(b"PK\x03\x04 this is not a zip")
    elif kind == "zip-without-document":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        path.write_bytes(buffer.getvalue())
    else:
        good = _zh_docx(tmp_path / "good.docx")
        buffer = io.BytesIO()
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(buffer, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data[: len(data) // 2]
                dst.writestr(info, data)
        path.write_bytes(buffer.getvalue())
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert str(err.value).startswith(f"{path}: ")


def test_empty_docx_has_no_paragraphs(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(ParseError, match=r"no paragraphs found"):
        parse_file(path)
