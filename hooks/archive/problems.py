"""Problems found in content, as ``path:line: what is wrong — how to fix it``.

Every rule has a code and one message pair per language, so the wording lives in one
place and tests can assert the exact text a contributor reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: code → language → (what is wrong, how to fix it)
MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    # front matter
    "not_utf8": {
        "zh": ("文件不是 UTF-8 编码", "用编辑器把文件另存为 UTF-8 编码"),
        "en": ("the file is not UTF-8 text", "save the file again with UTF-8 encoding"),
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
        "zh": ("正文中有被遮盖的数字「{text}」", "把 ** 换成 {{{{ 指标名 }}}}，并在 metrics 中填入数值；若本意是加粗，请改用 __文字__"),
        "en": ("the text has a masked figure '{text}'", "replace ** with {{{{ metric_name }}}} and give its value under metrics; for bold text use __text__"),
    },
    "script_in_body": {
        "zh": ("正文含有脚本「{text}」", "删除它：报告正文只能是文字、表格和图片，不能含脚本或 on… 事件属性"),
        "en": ("the text contains script '{text}'", "remove it: a report holds text, tables and images, no scripts or on… event attributes"),
    },
    "translation_field": {
        "zh": ("译文的 front matter 含有字段 {field}", "删除它：译文只写 title，其余信息取自中文原文 {original}"),
        "en": ("the translation's front matter has field {field}", "remove it: a translation gives only title, everything else comes from the original {original}"),
    },
    "orphan_translation": {
        "zh": ("译文没有对应的中文原文 {original}", "添加原文，或把译文改名为与原文相同的名称加 .{lang}.md"),
        "en": ("the translation has no original {original}", "add the original, or rename the translation to the original's name plus .{lang}.md"),
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
        for name in ("kind", "expected"):
            if args.get(name) in WORDS:
                args[name] = WORDS[args[name]][_lang(lang)]
        return args

    def format(self, lang: str = "zh") -> str:
        """The contributor-facing line: ``path:line: what — how to fix``."""
        return f"{self.path}:{self.line}: {self.what(lang)} — {self.fix(lang)}"


#: words that arguments name, as they appear inside each language's messages
WORDS: dict[str, dict[str, str]] = {
    "units": {"zh": "单位", "en": "unit"},
    "topics": {"zh": "主题", "en": "topic"},
    "templates": {"zh": "报告类型", "en": "report type"},
    "text": {"zh": "一段文字", "en": "text"},
    "list": {"zh": "一个或多个名称", "en": "one or more names"},
    "name": {"zh": "一个名称", "en": "a single name"},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def suggestion(nearest: object, lang: str) -> str:
    """The ``, did you mean …?`` tail of a fix, empty when nothing is close."""
    if not nearest:
        return ""
    return f"（是否要写「{nearest}」？）" if _lang(lang) == "zh" else f" (did you mean '{nearest}'?)"
