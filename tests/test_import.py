"""``./dev import``: a .txt or .docx work report turned into a report to fill in (archive.importing,
archive.conversion, archive.textfile, archive.docxfile)."""
from __future__ import annotations

import base64
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from sites import ROOT, make_site

from archive.check import check, load_config
from archive.conversion import SourceLine, compatible, convert, heading
from archive.docxfile import MAX_UNPACKED
from archive.frontmatter import split
from archive.importing import MAX_MASKS, MAX_TXT, main
from archive.textfile import Decoded, decode_text
from archive.validation import check_report
from archive.vocabulary import load_vocabulary

SEED = ROOT.parent / "shared" / "seeds" / "000_33d94cbde2d09b72.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds/ is missing (the seed report)")
OUT = "docs/reports/2022/tax-bureau-2022.md"
ARGS = ("--unit", "区税务局", "--year", "2022", "--template", "tax-annual")
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC")


@pytest.fixture
def site(tmp_path):
    """A site with the sample's vocabulary and no report yet."""
    empty = tmp_path / "no-reports"
    empty.mkdir()
    return make_site(tmp_path / "site", reports=empty, vocabulary=ROOT / "docs" / "vocabulary.yml")


def run(site, source, *args: str) -> int:
    return main([str(source), *(args or ARGS), "-f", str(site.root / "mkdocs.yml")])


def report(site, path: str = OUT) -> str:
    return (site.root / path).read_text(encoding="utf-8")


def problems(site, path: str = OUT) -> list[str]:
    config = load_config(str(site.root / "mkdocs.yml"))
    return [problem.format("zh") for problem in check(config) if problem.path == path]


# ---- the seed ----------------------------------------------------------------------------------

HEADINGS = [
    "## 一、聚焦主责，税务工作取得新成效",
    "### （一）党建领航、补钙铸魂，强化引领“聚合力”",
    "### （二）依法依规、稳进提质，把住税收“基本盘”",
    "### （三）落实政策、解难纾困，送上抵退“及时雨”",
    "### （四）深化改革、服务为民，增强纳税“满意度”",
    "## 二、以人聚势，税务干部展现新风貌",
    "### （一）强班子、带队伍，为人事工作“定向”",
    "### （二）压担子、抓培育，为干部履职“赋能”",
    "### （三）严标准、重程序，为干部成长“助力”",
    "### （四）抓业务、打基础，为人事管理“固本”",
    "## 三、心怀感恩，守正创新再创新业绩",
]
# in the text's order: 40 figures named by their metric's label, 6 undecided, then the required one not found
METRICS = [
    "tax_revenue", "figure_01", "tax_revenue_restored", "figure_02", "tax_analysis_reports", "leader_instructions",
    "refund_households", "refund_amount", "refund_households_since_policy", "refund_amount_since_policy",
    "first_topic_sessions", "theory_group_sessions", "integrity_opinions", "integrity_opinion_persons",
    "youth_night_school_sessions", "professional_exam_candidates", "legal_qualification_holders",
    "postgraduate_enrollees", "postgraduate_graduates", "training_classes", "training_attendance",
    "competition_advancers", "promotion_rounds", "chief_appointments", "chief_appointments_post85",
    "deputy_appointments", "deputy_appointments_post90", "figure_03", "figure_04", "figure_05", "figure_06",
    "rank_promotions", "second_promotions", "promoted_senior_officer_3", "promoted_senior_officer_4",
    "promoted_officer_1", "promoted_officer_2", "promoted_officer_4", "salary_adjustments", "annual_appraisals",
    "probation_appraisals", "retirement_approvals", "social_insurance_adjustments", "documents_drafted",
    "joint_review_batches", "joint_review_persons", "public_finance_revenue",
]
ENCODINGS = [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gb18030", "GB18030"), ("utf-16", "UTF-16LE (BOM)"),
             ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")]


def metric_keys(text: str) -> list[str]:
    head = text.split("\n---\n", 1)[0]
    return re.findall(r"^  ([a-z][a-z0-9_]*):", head, re.M)


@needs_seed
def test_the_seed_in_every_encoding_gives_the_same_report(site, tmp_path, capsys):
    seed = SEED.read_text(encoding="utf-8")
    reports = {}
    for number, (codec, name) in enumerate(ENCODINGS):
        source = tmp_path / "seed.txt"
        source.write_bytes(seed.encode(codec))
        slug = f"tax-bureau-2022-{number + 1}"
        assert run(site, source, *ARGS, "--slug", slug) == 0
        assert capsys.readouterr().out.splitlines()[0] == f"编码：{name}"
        text = report(site, f"docs/reports/2022/{slug}.md")
        sha = __import__("hashlib").sha256(seed.encode(codec)).hexdigest()
        source_line = f'source: {{file: "seed.txt", sha256: "{sha}", encoding: "{name}"}}'
        assert text.splitlines()[8] == source_line
        reports[name] = text.replace(source_line + "\n", "")
    assert len(set(reports.values())) == 1


@needs_seed
def test_the_seed_headings_figures_and_metrics(site, tmp_path, capsys):
    source = tmp_path / "seed.txt"
    source.write_bytes(SEED.read_bytes())
    assert run(site, source) == 0
    text = report(site)
    head, body = text.split("\n---\n\n", 1)
    assert head.splitlines()[1:7] == [
        "title: 区税务局向区委组织部工作汇报材料", "date:       # 印发日期，写成 YYYY-MM-DD，例如 2023-01-15",
        "year: 2022", "unit: tax-bureau  # 区税务局", "recipient: 区委组织部",
        "topics:     # 一项或多项，例如 [party-building, revenue-collection]；可用：party-building 党建工作、"
        "revenue-collection 组织收入、tax-relief 减税降费、tax-service 纳税服务与营商环境、cadre-development 干部队伍建设、"
        "fiscal-management 财政管理、employment-social-security 就业社保、market-regulation 市场监管、food-safety 食品安全"]
    assert [line for line in body.splitlines() if line.startswith("#")] == HEADINGS
    assert body.splitlines()[:3] == ["区委组织部：", "", "现将我税务局工作有关情况向区委组织部作以汇报："]
    assert len(re.findall(r"\{\{ [a-z0-9_]+ \}\}", body)) == 46 and body.count("{{") == 46
    assert body.count("\\*\\*") == 11 and "**" not in body.replace("\\*\\*", "")
    assert "红帆\\*税" in body      # a single star too is the original's, not Markdown
    assert ("2022年共组织税收收入{{ tax_revenue }}，其中公财收入{{ figure_01 }}，还原留抵退税，全年税收收入"
            "{{ tax_revenue_restored }}，其中公财收入{{ figure_02 }}。") in body
    assert "局共办理增值税留抵退税{{ refund_households }}{{ refund_amount }}，" in body
    assert "平均年龄由{{ figure_03 }}降至{{ figure_04 }}，" in body
    assert metric_keys(text) == METRICS
    lines = head.splitlines()
    assert "  tax_revenue:                        # 税收收入（元） · 第7行「动权。2022年共组织税收收入**元」" in lines
    assert "  figure_03:                          # 未定 · 第13行「目前，正科级领导干部平均年龄由**岁」；原文单位 岁" in lines
    assert "  public_finance_revenue:             # 公共财政收入（元） · 原文中没有找到" in lines
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "需要核对的地方（17 处）："
    assert out[4] == (f"{source}:7: 「织税收收入**元，其中公财收入**元」中的数字（元）对应哪个指标无法确定，暂记为 figure_01 — "
                      "在 metrics 和正文中把 figure_01 改为词表中的指标名（候选：public_finance_revenue）并填入数值；"
                      "词表中没有合适的指标时，请维护者定义")
    assert out[2] == (f"{source}:6: 「关意识教育和“周四理论夜校”“**青年论坛”等」中的 ** 后面不是计量单位，看来遮盖的是名称，"
                      "已写成 \\*\\* — 核对原文：补上名称，或删去 \\*\\*")
    assert out[-3:] == [f"已写入 {OUT}", "数字：40 处对应到了指标，6 处暂记为 figure_…；另有 11 处 ** 遮盖的是名称",
                        f"下一步：./dev check {OUT}"]
    found = problems(site)
    assert found[:2] == [f"{OUT}:3: 字段 date 是空的 — 填写 date，例如 date: 2023-01-15",
                         f"{OUT}:7: 字段 topics 是空的 — 填写 topics，例如 topics: [组织收入, 纳税服务]"]
    # each empty metric at its line, each figure_… twice (its key and its quote), and nothing else
    assert len(found) == 2 + 41 + 6 + 6
    assert sum("的值「」是占位符" in line for line in found) == 41
    assert sum("未定义的指标 figure_" in line for line in found) == 6
    assert sum("正文引用了 {{ figure_" in line for line in found) == 6


@needs_seed
def test_an_existing_report_is_never_overwritten(site, tmp_path, capsys):
    source = tmp_path / "seed.txt"
    source.write_bytes(SEED.read_bytes())
    assert run(site, source) == 0
    first = report(site)
    assert run(site, source) == 1
    assert report(site) == first
    assert capsys.readouterr().err.splitlines() == [
        f"{OUT}:1: {OUT} 已经存在，没有改动它 — 用 --slug 另取一个文件名，例如 --slug tax-bureau-2022-2；要修订这份报告，直接编辑它"]


# ---- a .docx from Word and WPS ------------------------------------------------------------------

def word_document(path: Path) -> None:
    """A .docx with headings by style (Word's and a WPS-style numeric id), by text, a paragraph broken
    in two, zero-width characters, a table, a merged table, a picture and Word's own numbering."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("区税务局2023年度工作总结", style="Title")
    document.add_paragraph("　区委组织部：")
    document.add_paragraph("现将有关情况汇报如下：")
    document.add_paragraph("一、组织收入", style="Heading 1")
    document.add_paragraph("\u3000\u3000全年组织税收收入**亿元，办理留抵退税\u200b**户，这一段在中间被")
    document.add_paragraph("截断了，下一段接着写完。\u200d ")
    document.add_paragraph("队伍建设", style="Heading 2")
    style = OxmlElement("w:style")      # WPS names its heading styles with numeric ids
    style.set(qn("w:type"), "paragraph")
    style.set(qn("w:styleId"), "3")
    name = OxmlElement("w:name")
    name.set(qn("w:val"), "heading 2")
    style.append(name)
    document.styles.element.append(style)
    wps = document.add_paragraph("人才培养")
    wps_style = OxmlElement("w:pStyle")
    wps_style.set(qn("w:val"), "3")
    wps._p.get_or_add_pPr().insert(0, wps_style)
    document.add_paragraph("（一）党建领航、补钙铸魂。坚持把党的政治建设放在首位，办好“**青年论坛”。")
    table = document.add_table(rows=2, cols=2)
    for (row, column), value in {(0, 0): "项目", (0, 1): "数量", (1, 0): "培训干部", (1, 1): "**人次"}.items():
        table.cell(row, column).text = value
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合计"
    merged.cell(1, 0).text = "甲"
    merged.cell(1, 1).text = "乙"
    document.add_picture(io.BytesIO(PNG))
    numbered = document.add_paragraph("编号段落", style="List Number")
    numbered.text = "编号段落"
    document.save(path)


DOCX_BODY = """\
区委组织部：

现将有关情况汇报如下：

## 一、组织收入

全年组织税收收入{{ tax_revenue }}，办理留抵退税{{ refund_households }}，这一段在中间被截断了，下一段接着写完。

### 队伍建设

### 人才培养

### （一）党建领航、补钙铸魂

坚持把党的政治建设放在首位，办好“\\*\\*青年论坛”。

| 项目 | 数量 |
|---|---|
| 培训干部 | {{ training_attendance }} |

合计

甲 | 乙

编号段落
"""


def test_a_word_document(site, tmp_path, capsys):
    source = tmp_path / "汇报.docx"
    word_document(source)
    assert run(site, source, "--unit", "tax-bureau", "--year", "2023", "--template", "tax-annual",
               "--date", "2024-01-05") == 0
    path = "docs/reports/2023/tax-bureau-2023.md"
    text = report(site, path)
    head, body = text.split("\n---\n\n", 1)
    assert body == DOCX_BODY
    assert head.splitlines()[1:6] == ["title: 区税务局2023年度工作总结", "date: 2024-01-05", "year: 2023",
                                      "unit: tax-bureau  # 区税务局", "recipient: 区委组织部"]
    assert re.search(r'^source: \{file: "汇报.docx", sha256: "[0-9a-f]{64}"\}$', head, re.M)
    assert "  tax_revenue:                        # 税收收入（元） · 第5段「全年组织税收收入**亿元」；原文单位 亿元" in head.splitlines()
    assert "\u200b" not in text and "\u200d" not in text and "\u3000" not in text
    out = capsys.readouterr().out.splitlines()
    assert out[:6] == [
        "Word 文档：下面的「行号」是段落的序号",
        "需要核对的地方（4 处）：",
        f"{source}:9: 「把党的政治建设放在首位，办好“**青年论坛”。」中的 ** 后面不是计量单位，看来遮盖的是名称，"
        "已写成 \\*\\* — 核对原文：补上名称，或删去 \\*\\*",
        f"{source}:11: 这个表格有合并单元格或嵌套的表格，没有转换成表格，各行的文字写成了段落 — 对照原文把它整理成 Markdown 表格或文字",
        f"{source}:12: 这里的图片没有导入 — 需要时把图片另存为 .png，放在报告旁边，用 ![说明](图片.png) 引用",
        f"{source}:13: 这一段的编号由 Word 自动生成，没有导入 — 在这一段开头写上编号，例如「一、」或「（一）」",
    ]
    # what is left is what to fill in: no problem with the text itself
    assert [line for line in problems(site, path) if "占位符" not in line] == [
        f"{path}:7: 字段 topics 是空的 — 填写 topics，例如 topics: [组织收入, 纳税服务]"]


# ---- hostile and unreadable files ------------------------------------------------------------------

def refused(site, source, capsys) -> list[str]:
    assert run(site, source) == 1
    assert not (site.root / OUT).exists()
    return capsys.readouterr().err.splitlines()


def test_a_file_in_no_encoding_it_can_tell(site, tmp_path, capsys):
    for name, data in (("bytes.txt", b"\x80\x81\xff" * 20),
                       ("big5.txt", "區稅務局向區委組織部工作匯報材料，現將有關情況匯報如下。".encode("big5")),
                       ("sjis.txt", "日本語のテキストです。これは報告書ではありません。".encode("shift_jis"))):
        source = tmp_path / name
        source.write_bytes(data)
        assert refused(site, source, capsys) == [
            f"{source}: 无法确定文件的编码（试过 UTF-8、UTF-16 和 GB18030） — 用记事本或 WPS 打开它，「另存为」时编码选 UTF-8，再导入"]


@pytest.mark.parametrize("name, make, expected", [
    ("junk.txt", lambda p: p.write_bytes(bytes(range(256)) * 8), "文件含有控制字符，不是文字文件 — 确认选对了文件：.txt 应是记事本等编辑器保存的文字"),
    ("empty.txt", lambda p: p.write_bytes(b"\xef\xbb\xbf \r\n" + "\u3000\u200b".encode()), "文件中没有文字 — 确认选对了文件"),
    ("huge.txt", lambda p: os.truncate(p.write_bytes(b"") and p or p, MAX_TXT + 1),
     f"文件有 {MAX_TXT + 1} 字节，超过 {MAX_TXT} 字节的上限 — 一份报告远小于这个大小：确认选对了文件；.docx 中的大图片可以先删去"),
    ("report.pdf", lambda p: p.write_bytes(b"%PDF-1.7"),
     "不能导入 .pdf 文件 — 导入 .txt 或 .docx 文件；.doc、.wps、.pdf 请先用 Word 或 WPS「另存为」Word 文档（.docx）"),
    ("folder.txt", lambda p: p.mkdir(), "这不是普通文件 — 导入一个 .txt 或 .docx 文件"),
    ("link.txt", lambda p: os.symlink("/etc/passwd", p), "这是符号链接，没有读取它指向的内容 — 导入文件本身，不要用链接"),
    ("missing.txt", lambda p: None, "找不到要导入的文件 — 检查文件名和路径"),
    ("masks.txt", lambda p: p.write_text("**元" * (MAX_MASKS + 1), encoding="utf-8"),
     f"原文有 {MAX_MASKS + 1} 处 **，超过 {MAX_MASKS} 处的上限 — 一份报告的数字远少于此：确认选对了文件，或分成几份报告导入"),
    ("old.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0 an old .doc renamed"),
     "不是有效的 Word 文档（.docx）：它不是 zip 格式（.docx 是 zip 压缩包；旧的 .doc 不是） — 用 Word 或 WPS 打开它，「另存为」Word 文档（.docx），再导入"),
    ("bomb.docx", lambda p: zip_with(p, {"word/document.xml": b"\0" * (MAX_UNPACKED + 1)}),
     f"解压后有 {MAX_UNPACKED + 1} 字节，超过 {MAX_UNPACKED} 字节的上限 — 删去文档中的大图片后另存，再导入"),
    ("other.docx", lambda p: zip_with(p, {"xl/workbook.xml": b"<x/>"}),
     "不是有效的 Word 文档（.docx）：压缩包中没有 word/document.xml — 用 Word 或 WPS 打开它，「另存为」Word 文档（.docx），再导入"),
    ("broken.docx", lambda p: zip_with(p, {"word/document.xml": b"<w:document"}),
     "不是有效的 Word 文档（.docx）：无法读取（KeyError） — 用 Word 或 WPS 打开它，「另存为」Word 文档（.docx），再导入"),
])
def test_hostile_files_are_refused_with_a_message(site, tmp_path, capsys, name, make, expected):
    source = tmp_path / name
    make(source)
    assert refused(site, source, capsys) == [f"{source}: {expected}"]


def zip_with(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_markup_in_the_original_stays_text(site, tmp_path, capsys):
    """Nothing in an imported text is read as HTML, Markdown, a quote or attributes: the check finds
    only what is left to fill in (the page's allowlist would report anything else)."""
    source = tmp_path / "markup.txt"
    source.write_text("标题\n区委组织部：\n<script>alert(1)</script>正文{{ tax_revenue }}与[链接](javascript:x)。\n"
                      "# 不是标题\n2022. 不是列表\n> 不是引用\n!!! note\n`代码`与 {: .x} 和 &lt; 与 a_b_c\n", encoding="utf-8")
    assert run(site, source) == 0
    body = report(site).split("\n---\n\n", 1)[1]
    assert body == ("区委组织部：\n\n&lt;script>alert(1)&lt;/script>正文\\{\\{ tax\\_revenue \\}\\}与\\[链接\\](javascript:x)。\n\n"
                    "\\# 不是标题\n\n2022\\. 不是列表\n\n\\> 不是引用\n\n\\!!! note\n\n\\`代码\\`与 \\{: .x\\} 和 &amp;lt; 与 a\\_b\\_c\n")
    assert [line for line in problems(site) if "占位符" not in line] == [
        f"{OUT}:3: 字段 date 是空的 — 填写 date，例如 date: 2023-01-15",
        f"{OUT}:7: 字段 topics 是空的 — 填写 topics，例如 topics: [组织收入, 纳税服务]"]


def test_english_messages(tmp_path, capsys):
    empty = tmp_path / "no-reports"
    empty.mkdir()
    site = make_site(tmp_path / "en", reports=empty, vocabulary=ROOT / "docs" / "vocabulary.yml", messages="en")
    source = tmp_path / "r.txt"
    source.write_text("区税务局2022年度工作汇报\n区委组织部：\n2022年共组织税收收入**元，开展“**论坛”。\n", encoding="gb18030")
    assert run(site, source) == 0
    assert capsys.readouterr().out.splitlines() == [
        "encoding: GB18030", "to check (1):",
        f"{source}:3: the ** in '年共组织税收收入**元，开展“**论坛”。' is not followed by a unit of measure and seems to mask a name: "
        "it is written \\*\\* — check the original: write the name, or delete the \\*\\*",
        f"written {OUT}", "figures: 1 matched to metrics, 0 written figure_… for now; 1 ** mask names",
        f"next: ./dev check {OUT}"]
    assert "  tax_revenue:                        # Tax revenue (yuan) · line 3: '2022年共组织税收收入**元'" in report(site).splitlines()


# ---- the rules, one by one -------------------------------------------------------------------------

def test_encodings_are_told_or_refused():
    text = "区委组织部：\n一、聚焦主责，税务工作取得新成效\n2022年共组织税收收入**元。\n"
    for codec, name in ENCODINGS:
        assert decode_text(text.encode(codec)) == Decoded(text, name)
    assert decode_text(codecs_utf32(text)) == Decoded(text, "UTF-32LE (BOM)")
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == Decoded(text, "UTF-16BE (BOM)")
    # UTF-16 with no zero byte at all (no digits, no line break) decodes as neither: refused, not guessed
    assert decode_text("区税务局向区委组织部工作汇报材料".encode("utf-16-le")) in ("import_encoding", "import_binary")
    assert decode_text(b"\xef\xbb\xbf\xff") == "import_encoding"      # a mark, then not UTF-8
    assert decode_text(b"text\x00\x07") == "import_binary"


def codecs_utf32(text: str) -> bytes:
    return b"\xff\xfe\x00\x00" + text.encode("utf-32-le")


@pytest.mark.parametrize("line, expected", [
    ("一、聚焦主责，税务工作取得新成效", (2, "一、聚焦主责，税务工作取得新成效", "")),
    ("（一）党建领航、补钙铸魂，强化引领“聚合力”。坚持把党的政治建设放在首位。", (3, "（一）党建领航、补钙铸魂，强化引领“聚合力”", "坚持把党的政治建设放在首位。")),
    ("1.加强学习", (4, "1.加强学习", "")),
    ("2．加强学习。", (4, "2．加强学习", "")),
    ("（3）开展培训", (5, "（3）开展培训", "")),
    ("1.5亿元的收入", None),                                   # a number, not a heading
    ("1.全年组织税收收入**亿元。", None),                        # a numbered sentence with a figure
    ("一、" + "很长" * 25 + "。后文", None),                      # longer than a heading
    ("一、", None),
    ("区委组织部：", None),
])
def test_headings_by_their_numbering(line, expected):
    assert heading(line) == expected


def converted(vocab, *lines: str):
    return convert([SourceLine(text, number) for number, text in enumerate(lines, start=1)], vocab, "tax-annual", "zh")


def test_paragraphs_broken_by_the_editor_are_joined(vocab):
    result = converted(vocab, "标题", "", "\u3000\u3000全年组织税收收入**元，这是一段被编辑器", "\u200b折成两行的文字。  ",
                       "短行", "不接上", "English words are", "joined with a space。", "区税务局", "2023年1月12日")
    assert result.title == "标题"
    assert result.body.split("\n\n") == ["全年组织税收收入{{ tax_revenue }}，这是一段被编辑器折成两行的文字。", "短行", "不接上",
                                         "English words are joined with a space。", "区税务局", "2023年1月12日"]
    assert [(item.line, item.code, item.args) for item in result.undecided] == [
        (10, "import_date", {"text": "2023年1月12日", "date": "2023-01-12"})]


def test_a_title_that_is_no_title_is_reported(vocab):
    result = converted(vocab, "2022年，区局坚持以习近平新时代中国特色社会主义思想为指导，各项工作取得新成效。")
    assert result.title is None
    assert [(item.line, item.code) for item in result.undecided] == [(1, "import_title")]


def test_figures_named_alike_are_left_undecided_with_their_candidates():
    vocab, _ = load_vocabulary((ROOT / "docs" / "vocabulary.yml").read_text(encoding="utf-8"), "vocabulary.yml")
    result = converted(vocab, "标题", "区委组织部：", "正科级领导干部平均年龄由**岁降至**岁，培训干部**人次。")
    both = ("chief_avg_age_before", "chief_avg_age_after")
    assert [(figure.key, figure.candidates) for figure in result.figures] == [
        ("figure_01", both), ("figure_02", both), ("training_attendance", ())]
    assert result.body.endswith("平均年龄由{{ figure_01 }}降至{{ figure_02 }}，培训干部{{ training_attendance }}。")


def test_units_that_can_name_a_metric():
    assert compatible("亿元", "元") and compatible("万元", "亿元") and compatible("名", "人") and compatible("万人次", "人次")
    assert compatible("％".replace("％", "%"), "%")
    assert not compatible("户", "人") and not compatible("元", "人") and not compatible("次", "人次")


def test_the_source_field_is_accepted_and_checked(vocab):
    report_text = ("---\ntitle: 区税务局2022年度工作汇报\ndate: 2023-01-15\nyear: 2022\nunit: 区税务局\ntopics: [组织收入]\n"
                   "template: 税务工作年度汇报\n{source}\nmetrics:\n  tax_revenue: 1268000000\n  refund_amount: 3.2\n"
                   "  refund_households: 1234\n---\n\n正文。\n")
    good = check_report(split(report_text.format(source='source: {file: "a.txt", sha256: "0a", encoding: "GB18030"}'),
                              "reports/2022/tax-bureau-2022.md"), vocab)
    assert good.problems == []
    bad = check_report(split(report_text.format(source="source: {file: a.txt, url: x}"), "reports/2022/tax-bureau-2022.md"), vocab)
    assert [problem.format() for problem in bad.problems] == [
        "reports/2022/tax-bureau-2022.md:8: source 应为 ./dev import 写下的来源：file, sha256, encoding 三项文字 — "
        "不要手工修改 source；不需要时删去整行"]
