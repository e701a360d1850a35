"""Problems found in content, as ``path:line: what is wrong — how to fix it``.

Every rule has a code and one message pair per language, so the wording lives in one
place and tests can assert the exact text a contributor reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: the languages every message, and the commands' own words, are written in (extra.archive.messages)
MESSAGE_LANGUAGES = ("zh", "en")

#: code → language → (what is wrong, how to fix it)
MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # front matter
    "not_utf8": {
        "zh": ("文件不是 UTF-8 编码{looks}", "用编辑器「另存为」，编码选 UTF-8 后保存（记事本：编码 → UTF-8；VS Code：右下角编码 → 通过编码保存 → UTF-8）"),
        "en": ("the file is not UTF-8 text{looks}", "use Save As in the editor and choose the UTF-8 encoding (Notepad: Encoding → UTF-8; VS Code: the encoding in the status bar → Save with Encoding → UTF-8)"),
    },
    "not_utf8_bytes": {
        "zh": ("这一行有不是 UTF-8 的字节（其余部分是 UTF-8）", "删除这一行的乱码字符后重新输入，再以 UTF-8 编码保存"),
        "en": ("this line has bytes that are not UTF-8 (the rest of the file is UTF-8)", "delete the garbled characters on this line, type them again and save as UTF-8"),
    },
    "no_front_matter": {
        "zh": ("缺少 front matter", "在文件开头加上以 --- 开始和结束的 YAML 块，至少写明 title 和 date"),
        "en": ("no front matter", "start the file with a YAML block between --- lines giving at least title and date"),
    },
    "yaml_error": {
        "zh": ("front matter 不是有效的 YAML：{detail}", "检查这一行的缩进、冒号和引号"),
        "en": ("the front matter is not valid YAML: {detail}", "check the indentation, colons and quotes on this line"),
    },
    "missing_field": {
        "zh": ("缺少必填字段 {field}", "在 front matter 中加入 {field}: {example}"),
        "en": ("required field {field} is missing", "add {field}: {example} to the front matter"),
    },
    "empty_field": {
        "zh": ("字段 {field} 是空的", "填写 {field}，例如 {field}: {example}"),
        "en": ("field {field} is empty", "fill in {field}, for example {field}: {example}"),
    },
    "wrong_type": {
        "zh": ("字段 {field} 应为{expected}", "改为{expected}，例如 {field}: {example}"),
        "en": ("field {field} must be {expected}", "write it as {expected}, for example {field}: {example}"),
    },
    "unknown_field": {
        "zh": ("未知字段 {field}", "删除它，或改正拼写{suggestion}"),
        "en": ("unknown field {field}", "remove it or correct the spelling{suggestion}"),
    },
    "bad_date": {
        "zh": ("日期 {value} 不是真实的日期", "按 YYYY-MM-DD 写出印发日期，例如 date: 2023-01-15"),
        "en": ("date {value} is not a real date", "write the date of issue as YYYY-MM-DD, for example date: 2023-01-15"),
    },
    "bad_year": {
        "zh": ("年份 {value} 无效", "写四位数的报告年度，例如 year: 2022"),
        "en": ("year {value} is not valid", "write the year reported on as four digits, for example year: 2022"),
    },
    "year_after_date": {
        "zh": ("报告年度 {year} 晚于印发日期 {date}", "核对 year 和 date：报告不能汇报印发之后的年度"),
        "en": ("the year reported on, {year}, is after the date of issue {date}", "check year and date: a report cannot cover a year after it was issued"),
    },
    "year_dir_mismatch": {
        "zh": ("文件在 reports/{folder}/ 下，但报告年度是 {year}", "把文件移到 reports/{year}/，或改正 year"),
        "en": ("the file is in reports/{folder}/ but reports on {year}", "move the file to reports/{year}/ or correct year"),
    },
    "bad_location": {
        "zh": ("报告文件的位置不对：{path}", "把文件放在 reports/<年度>/<名称>.md，名称只用小写字母、数字和连字符"),
        "en": ("a report file is in the wrong place: {path}", "put it at reports/<year>/<name>.md, the name in lowercase letters, digits and hyphens"),
    },
    "unknown_term": {
        "zh": ("未登记的{kind}「{value}」", "改为已登记的{kind}{suggestion}"),
        "en": ("unknown {kind} '{value}'", "use a registered {kind}{suggestion}"),
    },
    "duplicate_topic": {
        "zh": ("主题「{value}」重复", "删除重复的一项"),
        "en": ("topic '{value}' is listed twice", "remove the repeated entry"),
    },
    # metrics
    "missing_metric": {
        "zh": ("缺少「{template}」要求的指标 {key}（{label}）", "在 metrics 下加入 {key}: 数值（单位：{unit}）"),
        "en": ("metric {key} ({label}) required by '{template}' is missing", "add {key}: <number> under metrics (unit: {unit})"),
    },
    "placeholder_metric": {
        "zh": ("指标 {key} 的值「{value}」是占位符，不是数字", "填入实际数值（单位：{unit}）"),
        "en": ("metric {key} holds the placeholder '{value}', not a number", "fill in the actual figure (unit: {unit})"),
    },
    "not_number": {
        "zh": ("指标 {key} 的值「{value}」不是数字", "只写数字，不带单位和千分位逗号，例如 {key}: {example}"),
        "en": ("metric {key} has '{value}', which is not a number", "write the number alone, without unit or thousands separators, for example {key}: {example}"),
    },
    "not_integer": {
        "zh": ("指标 {key} 应为整数，实为 {value}", "写成整数（单位：{unit}）"),
        "en": ("metric {key} must be a whole number, not {value}", "write a whole number (unit: {unit})"),
    },
    "out_of_bounds": {
        "zh": ("指标 {key} 的值 {value} 超出范围 {low} ～ {high}", "核对数值和单位：{key} 以「{unit}」计"),
        "en": ("metric {key} is {value}, outside {low} to {high}", "check the figure and its unit: {key} is counted in {unit}"),
    },
    "unknown_metric": {
        "zh": ("未定义的指标 {key}", "改正名称{suggestion}，或请维护者在词表中定义它"),
        "en": ("metric {key} is not defined", "correct the name{suggestion}, or ask the maintainer to define it in the vocabulary"),
    },
    "metric_not_in_template": {
        "zh": ("「{template}」不含指标 {key}", "删除它，或请维护者把它加入该报告类型"),
        "en": ("'{template}' has no metric {key}", "remove it, or ask the maintainer to add it to that report type"),
    },
    "metrics_not_mapping": {
        "zh": ("metrics 应为「指标名: 数值」的列表", "每行写一个指标，例如 metrics: 换行后缩进写 {example}"),
        "en": ("metrics must be a mapping of metric name to number", "write one metric per line, indented under metrics:, for example {example}"),
    },
    # body
    "undefined_quote": {
        "zh": ("正文引用了 {{{{ {key} }}}}，但 metrics 中没有它", "在 metrics 下加入 {key}: 数值，或改正引用的名称{suggestion}"),
        "en": ("the text quotes {{{{ {key} }}}} but metrics does not define it", "add {key}: <number> under metrics, or correct the name{suggestion}"),
    },
    "masked_figure": {
        "zh": ("正文中有被遮盖的数字「{text}」", "把 ** 换成 {{{{ 指标名 }}}}，并在 metrics 中填入数值；若本意是加粗：正文不用加粗，删去 **"),
        "en": ("the text has a masked figure '{text}'", "replace ** with {{{{ metric_name }}}} and give its value under metrics; if it was meant as bold: reports use no bold, delete the **"),
    },
    # --- what the allowlist removes from a page's HTML (sanitize.py): {element}, {text} as written ---
    "unsafe_element": {
        "zh": ("正文含有不允许的 HTML 元素 <{element}>，已从页面删除：{text}",
               "删除它：正文用 Markdown 写文字、标题、列表、表格、引用和代码，图片和链接用 ![说明](图片) 和 [文字](地址)，不写 HTML 标签"),
        "en": ("the text contains the HTML element <{element}>, which is not allowed and was taken off the page: {text}",
               "remove it: write text, headings, lists, tables, quotes and code in Markdown, images and links as ![caption](image) and [text](address), and no HTML tags"),
    },
    "unsafe_attribute": {
        "zh": ("正文中 <{element}> 的属性 {text} 不允许，已从页面删除",
               "删除这个属性：正文不能设置 HTML 属性（包括段落、标题或图片后 {{ … }} 里写的属性），如 onclick、style、class"),
        "en": ("the attribute {text} on <{element}> is not allowed and was taken off the page",
               "remove the attribute: the text cannot set HTML attributes (nor in {{ … }} after a paragraph, heading or image), such as onclick, style or class"),
    },
    "unsafe_link": {
        "zh": ("链接地址「{text}」不允许，链接已失效",
               "链接只能以 http://、https:// 或 mailto: 开头，或是本站页面的相对地址，例如 [文字](https://www.example.gov.cn/) 或 [文字](../tax-bureau-2022/)"),
        "en": ("the link address '{text}' is not allowed: the link was disabled",
               "a link must start with http://, https:// or mailto:, or be a relative address on this site, such as [text](https://www.example.gov.cn/) or [text](../tax-bureau-2022/)"),
    },
    "unsafe_image": {
        "zh": ("图片地址「{text}」不是本站的文件，图片已删除",
               "把图片文件放进本站（与报告同一文件夹），用相对地址引用，例如 ![说明](图表.png)；不能引用其他网站的图片或 data: 地址"),
        "en": ("the image address '{text}' is not a file of this site: the image was removed",
               "put the image file in the site (beside the report) and give its relative address, such as ![caption](chart.png); images from other sites and data: addresses cannot be used"),
    },
    "reserved_anchor": {
        "zh": ("标题的锚点 {text} 不能使用，已从页面删除",
               "删除标题后的 {{ #… }}，或改写标题；锚点只能用小写字母、数字、- 和 _，不能是 figures，也不能以 __、wr-、metric- 开头（本站自用）"),
        "en": ("the heading's anchor {text} cannot be used and was taken off the page",
               "remove the {{ #… }} after the heading, or reword the heading; an anchor uses lowercase letters, digits, - and _ only, and is not figures nor starts with __, wr- or metric- (the site's own)"),
    },
    "page_field": {
        "zh": ("页面的 front matter 含有字段 {field}", "删除它：报告以外的页面在 front matter 中只写 title"),
        "en": ("the page's front matter has field {field}", "remove it: a page other than a report gives only title in its front matter"),
    },
    "translation_field": {
        "zh": ("译文的 front matter 含有字段 {field}", "删除它：译文只写 title，其余信息取自中文原文 {original}"),
        "en": ("the translation's front matter has field {field}", "remove it: a translation gives only title, everything else comes from the original {original}"),
    },
    "orphan_translation": {
        "zh": ("译文没有对应的中文原文 {original}", "添加原文，或把译文改名为与原文相同的名称加 .{lang}.md"),
        "en": ("the translation has no original {original}", "add the original, or rename the translation to the original's name plus .{lang}.md"),
    },
    # --- bounded parsing, nothing silent, clear messages (issue 9, frontmatter/validation/catalog/figures) ---
    "front_matter_not_closed": {
        "zh": ("front matter 没有结束：第 1 行的 --- 之后找不到单独成行的 ---", "在最后一个字段之后加一行 ---，把 front matter 和正文分开"),
        "en": ("the front matter is not closed: no line --- follows the --- on line 1", "add a line --- after the last field to separate the front matter from the text"),
    },
    "front_matter_too_long": {
        "zh": ("front matter 长达 {size} 个字符，超过上限 {limit}", "front matter 只写 title、date 等字段和 metrics；正文写在结束的 --- 之后"),
        "en": ("the front matter is {size} characters long, above the limit of {limit}", "the front matter holds only fields such as title and date and the metrics; the text goes after the closing ---"),
    },
    "yaml_anchor": {
        "zh": ("不能使用 YAML 锚点 &{name}", "删除 &{name}，把内容直接写出来：报告不需要锚点和别名"),
        "en": ("YAML anchors such as &{name} are not accepted", "delete &{name} and write the content out: reports have no use for anchors and aliases"),
    },
    "yaml_alias": {
        "zh": ("不能使用 YAML 别名 *{name}", "把 *{name} 换成它所指的内容本身"),
        "en": ("YAML aliases such as *{name} are not accepted", "replace *{name} with the content itself"),
    },
    "yaml_tag": {
        "zh": ("不能使用 YAML 标签 {tag}", "删除这个以 ! 开头的标签；文字需要时加引号即可"),
        "en": ("the YAML tag {tag} is not accepted", "delete the tag starting with !; put text in quotes where needed"),
    },
    "yaml_too_deep": {
        "zh": ("YAML 嵌套超过 {limit} 层", "检查从这一行开始的括号和缩进：报告最多嵌套三层（metrics → 指标 → withheld）"),
        "en": ("the YAML is nested more than {limit} levels deep", "check the brackets and indentation from this line: a report nests at most three levels (metrics → metric → withheld)"),
    },
    "duplicate_key": {
        "zh": ("{field} 写了两次，第 {first} 行已经有它", "删除其中一处，只保留正确的一个"),
        "en": ("{field} is given twice: line {first} already gives it", "delete one of them and keep the right one"),
    },
    "yaml_number": {
        "zh": ("{field} 的值「{value}」是{kind}，YAML 会把它读作数字 {reading}", "若是数字，写成普通的十进制数字 {plain}；若是文字，加上引号：'{value}'"),
        "en": ("{field} is '{value}', {kind} that YAML reads as the number {reading}", "for a number write plain decimal digits: {plain}; for text put it in quotes: '{value}'"),
    },
    "yaml_special": {
        "zh": ("{field} 的值「{value}」在 YAML 中表示{kind}，不是一个实际的数", "写出实际数值；若是文字，加上引号：'{value}'"),
        "en": ("{field} is '{value}', which YAML reads as {kind}, not an actual figure", "write the actual figure; for text put it in quotes: '{value}'"),
    },
    "yaml_boolean": {
        "zh": ("{field} 的值「{value}」会被 YAML 读作 {reading}（是/否）", "表示是或否时写 true 或 false；若是文字，加上引号：'{value}'"),
        "en": ("{field} is '{value}', which YAML reads as {reading} (yes/no)", "for yes or no write true or false; for text put it in quotes: '{value}'"),
    },
    "number_too_long": {
        "zh": ("{field} 的数字有 {digits} 位，超过 {limit} 位的上限", "核对数值和单位：这么多位的数字无法精确保存"),
        "en": ("{field} has a number of {digits} digits, more than the limit of {limit}", "check the figure and its unit: a number of so many digits cannot be kept exactly"),
    },
    "quoted_number": {
        "zh": ("{field} 的值「{value}」加了引号，成了文字而不是数字", "去掉引号，写成 {field}: {value}"),
        "en": ("{field} is '{value}' in quotes, which makes it text, not a number", "remove the quotes: {field}: {value}"),
    },
    "future_date": {
        "zh": ("印发日期 {date} 晚于今天", "核对 date：档案只收录已经印发的报告，按 YYYY-MM-DD 写实际印发日期"),
        "en": ("the date of issue {date} is after today", "check date: the archive holds reports already issued; write the actual date of issue as YYYY-MM-DD"),
    },
    "report_index": {
        "zh": ("reports/ 下不能有名为 {name} 的文件：它会占用目录页的位置，不会作为报告发布", "把文件改名为报告自己的名称，例如 reports/<年度>/<单位>-<年度>.md"),
        "en": ("a file named {name} cannot be under reports/: it would take the folder's own page and is not published as a report", "rename it after the report, for example reports/<year>/<unit>-<year>.md"),
    },
    "duplicate_report": {
        "zh": ("{unit}{year}年已有一份「{template}」：{other}，这一份不计入数字页和图表", "一个单位每年每种报告类型只收录一份：合并两份文件，或改正 unit、year 或 template；修订报告请直接修改原文件"),
        "en": ("{unit} already has a '{template}' for {year}: {other}; this one is left out of the figures page and charts", "the archive holds one report per unit, year and report type: merge the two files, or correct unit, year or template; to revise a report edit its file"),
    },
    "duplicate_figure": {
        "zh": ("{unit}{year}年的指标 {key} 已由 {other} 第 {line} 行给出，这里的数字不计入数字页和图表", "一个单位每年每个指标只填一次：删除其中一处，或改正 year"),
        "en": ("{unit}'s metric {key} for {year} is already given by {other} line {line}; this figure is left out of the figures page and charts", "a unit gives each metric once a year: delete one of them, or correct year"),
    },
    "labels_missing": {
        "zh": ("语言 {lang} 缺少 {count} 个界面文字（{names}），该语言的页面改用默认语言 {default} 的文字并注明",
               "在 hooks/archive/labels.py 的 LABELS 中为每个词加入 {lang}，或从 mkdocs.yml 中删除这种语言"),
        "en": ("the language {lang} lacks {count} interface words ({names}); its pages use the default language {default}'s, and say so",
               "add {lang} to every word of LABELS in hooks/archive/labels.py, or remove the language from mkdocs.yml"),
    },
    "no_site_url": {
        "zh": ("没有设置 site_url：不生成 sitemap.xml 和 Atom 订阅源，404 页面只在网站根目录下可用",
               "在 mkdocs.yml 中写明网站的完整地址，以 / 结尾，例如 site_url: https://reports.example.internal/reports-archive/"),
        "en": ("site_url is not set: no sitemap.xml and no Atom feeds are written, and the 404 page works at the site's root only",
               "set the site's full address in mkdocs.yml, ending in /, for example site_url: https://reports.example.internal/reports-archive/"),
    },
    "generated_page_taken": {
        "zh": ("这个页面由归档程序生成，不能提交同名文件；该文件不会被发布", "删除这个文件"),
        "en": ("this page is generated by the archive and cannot be replaced by a file; the file is not published", "delete the file"),
    },
    # vocabulary
    "vocab_yaml_error": {
        "zh": ("词表不是有效的 YAML：{detail}", "检查这一行的缩进、冒号和引号"),
        "en": ("the vocabulary is not valid YAML: {detail}", "check the indentation, colons and quotes on this line"),
    },
    "vocab_missing": {
        "zh": ("找不到词表文件", "在 docs/ 下建立词表文件，包含 units、topics、metrics、templates 四部分"),
        "en": ("the vocabulary file is missing", "create it in docs/ with the sections units, topics, metrics and templates"),
    },
    "vocab_section": {
        "zh": ("词表缺少 {section} 部分，或它不是「键: 条目」的映射", "加入 {section}:，下面每个条目写键名和 zh、en 名称"),
        "en": ("the vocabulary has no {section} section, or it is not a mapping of key to entry", "add {section}: with one entry per key, each with zh and en labels"),
    },
    "vocab_key": {
        "zh": ("词表 {section} 中的键 {key} 不合规范", "键名只用这些字符：{pattern}"),
        "en": ("key {key} in {section} is not valid", "use only the characters {pattern}"),
    },
    "vocab_label": {
        "zh": ("{section}.{key} 缺少 {lang} 名称", "加入 {lang}: 名称"),
        "en": ("{section}.{key} has no {lang} label", "add {lang}: <label>"),
    },
    "vocab_duplicate_label": {
        "zh": ("{section} 中「{label}」同时是 {key} 和 {other} 的名称", "给两个条目起不同的中文名称，否则无法分辨"),
        "en": ("'{label}' labels both {key} and {other} in {section}", "give the two entries different labels so that they can be told apart"),
    },
    "vocab_field": {
        "zh": ("{section}.{key} 含有未知字段 {field}", "删除它，或改正拼写{suggestion}"),
        "en": ("{section}.{key} has unknown field {field}", "remove it or correct the spelling{suggestion}"),
    },
    "vocab_unit": {
        "zh": ("指标 {key} 的计量单位「{value}」未知", "使用以下单位之一：{choices}"),
        "en": ("metric {key} has unknown unit of measure '{value}'", "use one of: {choices}"),
    },
    "vocab_kind": {
        "zh": ("指标 {key} 的类型「{value}」未知", "使用以下类型之一：{choices}"),
        "en": ("metric {key} has unknown kind '{value}'", "use one of: {choices}"),
    },
    "vocab_kind_unit": {
        "zh": ("指标 {key} 的类型 {kind} 与单位「{unit}」不符", "类型 {kind} 的单位应为以下之一：{choices}"),
        "en": ("metric {key} of kind {kind} cannot be counted in '{unit}'", "metrics of kind {kind} are counted in one of: {choices}"),
    },
    "vocab_bound": {
        "zh": ("指标 {key} 的范围不对：{detail}", "min 和 max 写数字，且 min 不大于 max"),
        "en": ("metric {key} has invalid bounds: {detail}", "write min and max as numbers with min not above max"),
    },
    "vocab_template_metric": {
        "zh": ("报告类型 {key} 列出了未定义的指标 {metric}", "在 metrics 部分定义它，或改正名称{suggestion}"),
        "en": ("template {key} lists undefined metric {metric}", "define it in the metrics section or correct the name{suggestion}"),
    },
    "vocab_template_list": {
        "zh": ("报告类型 {key} 的 {field} 应为指标名列表", "写成 {field}: [指标名, 指标名]"),
        "en": ("{field} of template {key} must be a list of metric names", "write {field}: [metric_name, metric_name]"),
    },
    "vocab_rule": {
        "zh": ("报告类型 {key} 的规则「{rule}」写法不对：{detail}", "写成「指标 <= 指标」或「指标 + 指标 == 指标」这样的比较"),
        "en": ("rule '{rule}' of template {key} cannot be read: {detail}", "write a comparison such as 'a <= b' or 'a + b == total'"),
    },
    "vocab_rules_list": {
        "zh": ("报告类型 {key} 的 rules 应为比较式的列表", "写成 rules: 换行后每行一条，例如 - public_finance_revenue <= tax_revenue"),
        "en": ("rules of template {key} must be a list of comparisons", "write one comparison per line under rules:, for example - public_finance_revenue <= tax_revenue"),
    },
    "vocab_rule_metric": {
        "zh": ("报告类型 {key} 的规则「{rule}」用到的指标 {metric} 不在该类型中", "把 {metric} 加入 required 或 optional，或改正规则"),
        "en": ("rule '{rule}' of template {key} uses {metric}, which the template does not list", "add {metric} to required or optional, or correct the rule"),
    },
    "vocab_flag": {
        "zh": ("{section}.{key} 的 {field} 应为 true 或 false", "写成 {field}: true"),
        "en": ("{field} of {section}.{key} must be true or false", "write {field}: true"),
    },
    # figures
    "rule_broken": {
        "zh": ("数字不符合「{template}」的规则 {rule}：{left} {negation} {right}", "核对 {keys} 的数值和单位"),
        "en": ("the figures break rule {rule} of '{template}': {left} {negation} {right}", "check the values and units of {keys}"),
    },
    "bad_withheld": {
        "zh": ("指标 {key} 的写法不对", "写数字；确实不公开时写 {key}: {{withheld: 不公开的理由}}"),
        "en": ("metric {key} is written wrongly", "write a number; for a figure that is withheld write {key}: {{withheld: the reason}}"),
    },
    "bad_confidential": {
        "zh": ("confidential 应为 true 或本报告的指标名列表，「{value}」不是", "写 confidential: true（全部数字保密）或 confidential: [指标名]"),
        "en": ("confidential must be true or a list of this report's metrics, not '{value}'", "write confidential: true (every figure) or confidential: [metric_name]"),
    },
    "jump": {
        "zh": ("指标 {key} 从 {previous}（{previous_path}，{previous_year}年）变为 {value}，相差超过 {factor} 倍",
               "核对两份报告中 {key} 的数值和单位（{unit}），常见原因是元、万元、亿元写混"),
        "en": ("metric {key} went from {previous} ({previous_path}, {previous_year}) to {value}, more than {factor} times apart",
               "check {key} and its unit ({unit}) in both reports: yuan, 10,000 yuan and 100 million yuan are easily mixed up"),
    },
    # files under docs/ (sources.py): links, special files, file types — never read nor published
    "symlink": {
        "zh": ("这是符号链接，构建不会读取、复制或发布它指向的内容", "删除这个链接；要放图片或附件，请把文件本身提交到这里"),
        "en": ("this is a symbolic link: the build does not read, copy or publish what it points to", "delete the link; to add an image or attachment, commit the file itself here"),
    },
    "symlink_dir": {
        "zh": ("这个文件夹是符号链接，构建因此停止，没有读取其中任何内容", "删除这个链接，把文件本身放进一个真实的文件夹"),
        "en": ("this folder is a symbolic link: the build stopped without reading anything through it", "delete the link and put the files themselves in a real folder"),
    },
    "outside_docs": {
        "zh": ("这个路径实际位于 docs/ 之外，构建不会读取或发布它", "删除它，把文件本身提交到这里"),
        "en": ("this path actually lies outside docs/: the build does not read or publish it", "delete it and commit the file itself here"),
    },
    "not_regular_file": {
        "zh": ("这不是普通文件，而是{kind}，构建不会读取或发布它", "删除它：docs/ 下只能放普通文件"),
        "en": ("this is {kind}, not a regular file: the build does not read or publish it", "delete it: docs/ holds regular files only"),
    },
    "report_file_type": {
        "zh": ("reports/ 下不接受{what}，它不会被发布", "删除它，或换成允许的类型；reports/ 下只接受 {allowed}"),
        "en": ("{what} are not accepted under reports/: it is not published", "delete it or use an accepted type; reports/ accepts only {allowed}"),
    },
    "site_file_type": {
        "zh": ("docs/ 下不接受{what}，它不会被发布", "删除它，或换成允许的类型；docs/ 下只接受 {allowed}"),
        "en": ("{what} are not accepted in docs/: it is not published", "delete it or use an accepted type; docs/ accepts only {allowed}"),
    },
    "file_content": {
        "zh": ("文件名是 {ext}，但内容不是 {kind}，它不会被发布", "用制作它的软件重新导出（另存）为 {kind}，或删除它"),
        "en": ("the file is named {ext} but its content is not {kind}: it is not published", "export (save) it again as {kind} from the program that made it, or delete it"),
    },
    # Content-Security-Policy of every page (csp.py): what the policy blocks in a built page
    "csp_inline_script": {
        "zh": ("页面中有一段内联脚本，内容安全策略不允许它运行，浏览器会跳过它：{excerpt}",
               "删除这段脚本，报告和页面不能带脚本；如果它来自网站主题，请把这条信息报告给维护者（允许的主题脚本列在 hooks/archive/csp.py）"),
        "en": ("the page has an inline script that the Content-Security-Policy does not allow, so browsers skip it: {excerpt}",
               "delete the script, reports and pages cannot carry scripts; if it comes from the site's theme, report this message to the maintainer (hooks/archive/csp.py lists the theme scripts allowed)"),
    },
    "csp_inline_style": {
        "zh": ("页面中有一段 <style> 样式，内容安全策略不允许它，浏览器会忽略它：{excerpt}",
               "删除这段样式；需要的样式请维护者写进 docs/stylesheets/archive.css"),
        "en": ("the page has a <style> element that the Content-Security-Policy does not allow, so browsers ignore it: {excerpt}",
               "delete it; ask the maintainer to put the styling needed in docs/stylesheets/archive.css"),
    },
    "csp_style_attribute": {
        "zh": ("页面中有 {count} 处 style 属性，内容安全策略不允许，浏览器会忽略它们（第一处：{excerpt}）",
               "删除 style 属性；表格列的对齐用 Markdown 表格分隔行的冒号（如 |--:|），其他样式请维护者写进 docs/stylesheets/archive.css"),
        "en": ("the page has {count} style attributes, which the Content-Security-Policy does not allow, so browsers ignore them (the first: {excerpt})",
               "remove the style attributes; align table columns with colons in the Markdown table's separator row (such as |--:|), and ask the maintainer to put other styling in docs/stylesheets/archive.css"),
    },
    # the reports' last change from git (gitdates.py): info lines, never a failure
    "git_missing": {
        "zh": ("找不到 git，报告页面不显示最后修改日期", "安装 git（Debian：apt-get install git）后重新构建"),
        "en": ("git is not installed: report pages show no date of last change", "install git (Debian: apt-get install git) and build again"),
    },
    "git_not_repository": {
        "zh": ("docs 文件夹不在 git 仓库中，报告页面不显示最后修改日期", "从 git 仓库的检出中构建（git clone），而不是从导出的文件构建"),
        "en": ("the docs folder is not in a git repository: report pages show no date of last change", "build from a git checkout (git clone), not from exported files"),
    },
    "git_shallow": {
        "zh": ("这是浅克隆（shallow clone），历史不完整，最后修改日期会出错，因此报告页面不显示它",
               "运行 git fetch --unshallow 取得完整历史；CI 中设置完整检出（GitHub Actions：fetch-depth: 0；GitLab：GIT_DEPTH: 0）"),
        "en": ("this is a shallow clone: its history is incomplete and the dates of last change would be wrong, so report pages show none",
               "run git fetch --unshallow for the whole history; in CI check out the whole history (GitHub Actions: fetch-depth: 0; GitLab: GIT_DEPTH: 0)"),
    },
    "git_failed": {
        "zh": ("读取 git 历史失败（{detail}），报告页面不显示最后修改日期", "在仓库中运行 git log 查看原因"),
        "en": ("reading the git history failed ({detail}): report pages show no date of last change", "run git log in the repository to see why"),
    },
    # --- friction found converting real reports (issue 10): validation.py, prose.py, vocabulary.py ---
    "date_after_year": {
        "zh": ("印发日期 {date} 距报告年度 {year} 结束已超过一年", "核对 year 和 date：year 写报告所汇报的年度，报告在该年度内或次年印发"),
        "en": ("the date of issue {date} is more than a year after the end of {year}, the year reported on", "check year and date: year is the year the report reviews, and a report is issued in that year or the next"),
    },
    "title_year": {
        "zh": ("标题写的是 {title_year} 年，报告年度却是 {year}{how}", "year 写报告所汇报的年度，次年印发的年度报告也一样：汇报 {title_year} 年的，写 year: {title_year} 并把文件放在 reports/{title_year}/；汇报的确是 {year} 年的，核对标题中的年份"),
        "en": ("the title names {title_year} but the year reported on is {year}{how}", "year is the year the report reviews, also for an annual report issued the next year: for a report on {title_year}, write year: {title_year} and put the file in reports/{title_year}/; for a report on {year}, check the year in the title"),
    },
    "year_dir_default": {
        "zh": ("文件在 reports/{folder}/ 下，但没有写 year，报告年度按印发日期 {date} 计为 {year}", "汇报 {folder} 年的报告写明 year: {folder}（次年印发的年度报告也写所汇报的年度）；汇报的确是 {year} 年的，把文件移到 reports/{year}/"),
        "en": ("the file is in reports/{folder}/ but gives no year, so the year reported on is taken from the date of issue {date}: {year}", "for a report on {folder}, write year: {folder} (an annual report issued the next year gives the year it reviews); for a report on {year}, move the file to reports/{year}/"),
    },
    "topics_one_string": {
        "zh": ("topics 写成了一段文字「{value}」", "写成列表，每个主题一项：topics: [{items}]"),
        "en": ("topics is one piece of text '{value}'", "write a list with one item per topic: topics: [{items}]"),
    },
    "body_title": {
        "zh": ("正文中有一级标题「{text}」", "报告标题由 front matter 中的 title 显示：这一行若是报告标题，删去它；若是正文的大标题（如「一、……」），改用 ## 开头，小标题用 ###"),
        "en": ("the text has a top-level heading '{text}'", "the report's title is shown from title in the front matter: if this line is the title, delete it; for a section heading (such as 一、…) start it with ##, and a sub-heading with ###"),
    },
    "emphasis": {
        "zh": ("正文中的「{text}」会显示为{kind}", "正文不用加粗、斜体等强调：删去两边的 {marker}；若 * 或 _ 是原文中的字符（如遮盖符号），在它前面加反斜杠，写成 \\* 或 \\_"),
        "en": ("'{text}' in the text would show in {kind}", "reports use no bold or italics: delete the {marker} around it; if a * or _ is a character of the original (such as a mask), put a backslash before it: \\* or \\_"),
    },
    "unit_after_quote": {
        "zh": ("引用 {{{{ {key} }}}} 后面又写了单位「{unit}」，页面上单位会重复", "删去引用后面的「{unit}」：网站显示数字时已带上单位"),
        "en": ("the quote {{{{ {key} }}}} is followed by the unit '{unit}', which the page would show twice", "delete the '{unit}' after the quote: the site writes the figure with its unit"),
    },
    "typed_figure": {
        "zh": ("正文直接写了数字「{value}」，与指标 {key}（{label}）的数值相同", "把数字连同单位换成 {{{{ {key} }}}}：数字只在 metrics 中填写一次，网站按指标的单位显示它，公开版也据此遮盖保密数字"),
        "en": ("the text writes '{value}' in digits, the value of metric {key} ({label})", "replace the number and its unit with {{{{ {key} }}}}: a figure is given once, under metrics, the site writes it in the metric's unit, and the public edition masks it when it is confidential"),
    },
    "vocab_aliases": {
        "zh": ("{section}.{key} 的 aliases 应为名称列表", "写成 aliases: [全称, 另一名称]，每项是一段不为空的文字"),
        "en": ("aliases of {section}.{key} must be a list of names", "write aliases: [full name, other name], each a non-empty text"),
    },
    "vocab_alias_taken": {
        "zh": ("{section} 中「{alias}」既是 {key} 的别名，又是 {other} 的键名、名称或别名", "一个名称只能指向一个条目：从其中一个条目删除它"),
        "en": ("'{alias}' in {section} is an alias of {key} and also a key, label or alias of {other}", "a name can mean one entry only: remove it from one of them"),
    },
    "bad_source": {
        "zh": ("source 应为 ./dev import 写下的来源：{keys} 三项文字", "不要手工修改 source；不需要时删去整行"),
        "en": ("source must be what ./dev import writes: the texts {keys}", "do not edit source by hand; delete the line if it is not wanted"),
    },
    # --- ./dev new and ./dev import (issue 10): a refused command line, a file that cannot be imported ---
    "new_unknown_term": {
        "zh": ("--{option} {value}：词表中没有这个{kind}", "改为已登记的{kind}{suggestion}，可用：{choices}"),
        "en": ("--{option} {value}: the vocabulary has no such {kind}", "use a registered {kind}{suggestion}; registered: {choices}"),
    },
    "new_bad_year": {
        "zh": ("--year {value} 不是四位数的年度", "写报告所汇报的年度，例如 --year 2024"),
        "en": ("--year {value} is not a four-digit year", "give the year the report reviews, for example --year 2024"),
    },
    "new_bad_slug": {
        "zh": ("--slug {value} 不能用作文件名", "只用小写字母、数字和连字符，例如 --slug {example}"),
        "en": ("--slug {value} cannot be a file name", "use lowercase letters, digits and hyphens only, for example --slug {example}"),
    },
    "new_bad_date": {
        "zh": ("--date {value} 不是 YYYY-MM-DD 格式的真实日期", "写印发日期，例如 --date 2025-01-09"),
        "en": ("--date {value} is not a real date written YYYY-MM-DD", "give the date of issue, for example --date 2025-01-09"),
    },
    "new_exists": {
        "zh": ("{path} 已经存在，没有改动它", "用 --slug 另取一个文件名，例如 --slug {example}；要修订这份报告，直接编辑它"),
        "en": ("{path} already exists and was left as it is", "pick another file name with --slug, for example --slug {example}; to revise that report, edit it"),
    },
    "new_outside": {
        "zh": ("{path} 的文件夹是符号链接或不在 docs 文件夹中，没有写入", "删去这个链接，建立真实的文件夹后再运行"),
        "en": ("the folder of {path} is a symbolic link or outside the docs folder: nothing was written", "delete the link, make a real folder and run this again"),
    },
    "new_vocabulary": {
        "zh": ("词表有问题（见上），无法生成报告", "先改正词表：./dev check 会列出它的问题"),
        "en": ("the vocabulary has problems (above): no report can be written from it", "correct the vocabulary first: ./dev check lists its problems"),
    },
    "import_not_found": {
        "zh": ("找不到要导入的文件", "检查文件名和路径"),
        "en": ("the file to import does not exist", "check the file's name and folder"),
    },
    "import_symlink": {
        "zh": ("这是符号链接，没有读取它指向的内容", "导入文件本身，不要用链接"),
        "en": ("this is a symbolic link: what it points to was not read", "import the file itself, not a link to it"),
    },
    "import_not_file": {
        "zh": ("这不是普通文件", "导入一个 .txt 或 .docx 文件"),
        "en": ("this is not a regular file", "import a .txt or .docx file"),
    },
    "import_type": {
        "zh": ("不能导入{ext}文件", "导入 .txt 或 .docx 文件；.doc、.wps、.pdf 请先用 Word 或 WPS「另存为」Word 文档（.docx）"),
        "en": ("{ext} files cannot be imported", "import a .txt or .docx file; save a .doc, .wps or .pdf as a Word document (.docx) from Word or WPS first"),
    },
    "import_too_large": {
        "zh": ("文件有 {size} 字节，超过 {limit} 字节的上限", "一份报告远小于这个大小：确认选对了文件；.docx 中的大图片可以先删去"),
        "en": ("the file has {size} bytes, above the limit of {limit}", "a report is far smaller: check that this is the right file; large pictures in a .docx can be deleted first"),
    },
    "import_binary": {
        "zh": ("文件含有控制字符，不是文字文件", "确认选对了文件：.txt 应是记事本等编辑器保存的文字"),
        "en": ("the file holds control characters: it is not text", "check that this is the right file: a .txt is text saved by an editor such as Notepad"),
    },
    "import_encoding": {
        "zh": ("无法确定文件的编码（试过 UTF-8、UTF-16 和 GB18030）", "用记事本或 WPS 打开它，「另存为」时编码选 UTF-8，再导入"),
        "en": ("the file's encoding cannot be told for sure (UTF-8, UTF-16 and GB18030 were tried)", "open it in Notepad or WPS, Save As with the encoding UTF-8, and import that"),
    },
    "import_docx_invalid": {
        "zh": ("不是有效的 Word 文档（.docx）：{detail}", "用 Word 或 WPS 打开它，「另存为」Word 文档（.docx），再导入"),
        "en": ("this is not a valid Word document (.docx): {detail}", "open it in Word or WPS, Save As a Word document (.docx), and import that"),
    },
    "import_docx_too_large": {
        "zh": ("解压后有 {size} 字节，超过 {limit} 字节的上限", "删去文档中的大图片后另存，再导入"),
        "en": ("it unpacks to {size} bytes, above the limit of {limit}", "delete the large pictures in the document, save it and import that"),
    },
    "import_empty": {
        "zh": ("文件中没有文字", "确认选对了文件"),
        "en": ("the file has no text", "check that this is the right file"),
    },
    "import_too_many_figures": {
        "zh": ("原文有 {count} 处 **，超过 {limit} 处的上限", "一份报告的数字远少于此：确认选对了文件，或分成几份报告导入"),
        "en": ("the text has {count} **, more than the limit of {limit}", "a report has far fewer figures: check that this is the right file, or import it as several reports"),
    },
    # what ./dev import could not decide, at the line (a .docx: the paragraph) of the imported file
    "import_masked_name": {
        "zh": ("「{context}」中的 ** 后面不是计量单位，看来遮盖的是名称，已写成 \\*\\*", "核对原文：补上名称，或删去 \\*\\*"),
        "en": ("the ** in '{context}' is not followed by a unit of measure and seems to mask a name: it is written \\*\\*", "check the original: write the name, or delete the \\*\\*"),
    },
    "import_figure": {
        "zh": ("「{context}」中的数字（{unit}）对应哪个指标无法确定，暂记为 {key}", "在 metrics 和正文中把 {key} 改为词表中的指标名{candidates}并填入数值；词表中没有合适的指标时，请维护者定义"),
        "en": ("which metric the figure ({unit}) in '{context}' is cannot be told: it is written {key} for now", "rename {key} under metrics and in the text to the vocabulary's metric{candidates} and give its value; if the vocabulary has none that fits, ask the maintainer to define one"),
    },
    "import_title": {
        "zh": ("第一行「{text}」不像标题，标题暂写为「{title}」", "在 front matter 中改正 title"),
        "en": ("the first line '{text}' does not look like a title: the title is '{title}' for now", "correct title in the front matter"),
    },
    "import_table": {
        "zh": ("这个表格有合并单元格或嵌套的表格，没有转换成表格，各行的文字写成了段落", "对照原文把它整理成 Markdown 表格或文字"),
        "en": ("this table has merged cells or a table inside: it was not converted, its rows are written as paragraphs", "rewrite it from the original as a Markdown table or as text"),
    },
    "import_image": {
        "zh": ("这里的图片没有导入", "需要时把图片另存为 .png，放在报告旁边，用 ![说明](图片.png) 引用"),
        "en": ("the picture here was not imported", "if it is needed, save it as a .png beside the report and show it with ![caption](picture.png)"),
    },
    "import_textbox": {
        "zh": ("这里文本框中的文字没有导入", "需要时把文字复制到正文"),
        "en": ("the text in a text box here was not imported", "copy the text into the report if it is needed"),
    },
    "import_numbering": {
        "zh": ("这一段的编号由 Word 自动生成，没有导入", "在这一段开头写上编号，例如「一、」或「（一）」"),
        "en": ("this paragraph's number is generated by Word and was not imported", "write the number at the start of the paragraph, such as 一、 or （一）"),
    },
    "import_date": {
        "zh": ("原文的日期「{text}」可能是印发日期", "核对后在 front matter 中写 date: {date}"),
        "en": ("the date '{text}' in the original may be the date of issue", "check it and write date: {date} in the front matter"),
    },
    # archive audit
    "missing_from_page": {
        "zh": ("报告没有出现在应在的页面 {page} 上", "这是归档程序的错误，请把这条信息报告给维护者"),
        "en": ("the report is missing from page {page}", "this is a fault of the archive's code: please report this message to the maintainer"),
    },
}


@dataclass(frozen=True)
class Problem:
    """One thing a contributor must fix, pointing at the line to change."""

    path: str
    line: int
    code: str
    args: dict[str, object] = field(default_factory=dict, compare=False)

    def what(self, lang: str = "zh") -> str:
        return MESSAGES[self.code][_lang(lang)][0].format(**self._args(lang))

    def fix(self, lang: str = "zh") -> str:
        return MESSAGES[self.code][_lang(lang)][1].format(**self._args(lang))

    def _args(self, lang: str) -> dict[str, object]:
        """Words inside the arguments follow the message language too."""
        args = {name: value[_lang(lang)] if isinstance(value, dict) and "zh" in value else value
                for name, value in self.args.items()}
        if "suggestion" in args:
            args["suggestion"] = suggestion(args["suggestion"], lang)
        for name in ("kind", "expected", "looks"):
            if args.get(name) in WORDS:
                args[name] = WORDS[args[name]][_lang(lang)]
        return args

    def format(self, lang: str = "zh") -> str:
        """The contributor-facing line: ``path:line: what — how to fix``."""
        return f"{self.path}:{self.line}: {self.what(lang)} — {self.fix(lang)}"

    def figure_keys(self) -> tuple[str, ...]:
        """The metrics whose figures this problem's message quotes (see FIGURES).

        Checks name them in the hidden argument ``metrics``; a problem found while reading
        the YAML knows only its key path ``at``, which names the metric under ``metrics``.
        """
        at = self.args.get("at") or ()
        named = tuple(self.args.get("metrics") or ())
        return named + ((str(at[1]),) if len(at) > 1 and at[0] == "metrics" else ())

    def masked(self) -> Problem:
        """The same problem with every figure it quotes shown as ``**`` (public builds)."""
        return Problem(self.path, self.line, self.code,
                       {name: "**" if name in FIGURES else value for name, value in self.args.items()})


#: arguments that may quote a figure: masked when the figure is confidential in a public build
FIGURES = frozenset({"value", "previous", "left", "right", "reading", "plain"})


#: words that arguments name, as they appear inside each language's messages
WORDS: dict[str, dict[str, str]] = {
    "units": {"zh": "单位", "en": "unit"},
    "topics": {"zh": "主题", "en": "topic"},
    "templates": {"zh": "报告类型", "en": "report type"},
    "recipients": {"zh": "报送对象", "en": "recipient"},
    "text": {"zh": "一段文字", "en": "text"},
    "list": {"zh": "一个或多个名称", "en": "one or more names"},
    "name": {"zh": "一个名称", "en": "a single name"},
    # how a Markdown emphasis shows (emphasis)
    "bold": {"zh": "粗体", "en": "bold"},
    "italic": {"zh": "斜体", "en": "italics"},
    # how YAML reads a plain value (yaml_number, yaml_special)
    "notation_hexadecimal": {"zh": "十六进制写法", "en": "hexadecimal notation"},
    "notation_octal": {"zh": "八进制写法", "en": "octal notation"},
    "notation_binary": {"zh": "二进制写法", "en": "binary notation"},
    "notation_sexagesimal": {"zh": "六十进制写法（用冒号分隔）", "en": "base-60 notation (parts separated by colons)"},
    "notation_underscore": {"zh": "带下划线的数字", "en": "a number with underscores"},
    "notation_exponent": {"zh": "科学计数法", "en": "scientific notation"},
    "notation_leading_zero": {"zh": "带前导零的数字", "en": "a number with leading zeros"},
    "notation_infinity": {"zh": "无穷大", "en": "infinity"},
    "notation_not_a_number": {"zh": "「非数」（NaN）", "en": "not-a-number (NaN)"},
    # which encoding a file that is not UTF-8 looks like (not_utf8's {looks})
    "looks_gb18030": {"zh": "，看起来是 GBK/GB18030 编码", "en": ", it looks like GBK/GB18030"},
    "looks_utf16": {"zh": "，看起来是 UTF-16 编码", "en": ", it looks like UTF-16"},
    "looks_unknown": {"zh": "", "en": ""},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def suggestion(nearest: object, lang: str) -> str:
    """The ``, did you mean …?`` tail of a fix, empty when nothing is close."""
    if not nearest:
        return ""
    return f"（是否要写「{nearest}」？）" if _lang(lang) == "zh" else f" (did you mean '{nearest}'?)"
