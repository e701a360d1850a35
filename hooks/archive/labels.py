"""Words of the interface in each language; vocabulary labels come from the vocabulary."""
from __future__ import annotations

from functools import lru_cache

from .formatting import CONVENTIONS
from .vocabulary import LABEL_LANGUAGES

LABELS: dict[str, dict[str, str]] = {
    "home": {"zh": "首页", "en": "Home"},
    "home_intro": {"zh": "本站收录各单位公开发布的工作汇报与工作总结，可按年度、主题和报送单位浏览。",
                   "en": "This site keeps the work reports published by the district's offices, "
                         "to browse by year, topic and reporting unit."},
    "latest": {"zh": "最新报告", "en": "Latest reports"},
    "archive": {"zh": "按年度", "en": "By year"},
    "topics": {"zh": "按主题", "en": "By topic"},
    "units": {"zh": "按单位", "en": "By unit"},
    "year_title": {"zh": "{year}年度报告", "en": "Reports on {year}"},
    "topic_title": {"zh": "主题：{label}", "en": "Topic: {label}"},
    "unit_title": {"zh": "{label}的报告", "en": "Reports of the {label}"},
    "year": {"zh": "年度", "en": "Year"},
    "topic": {"zh": "主题", "en": "Topic"},
    "report_title": {"zh": "标题", "en": "Title"},  # a listing's header row, printed (list.html)
    "column_unit": {"zh": "（{unit}）", "en": " ({unit})"},  # a money column's shared unit, printed (archive.columns)
    "unit": {"zh": "报送单位", "en": "Reporting unit"},
    "recipient": {"zh": "报送对象", "en": "Addressed to"},
    "date": {"zh": "印发日期", "en": "Issued"},
    "changed": {"zh": "最后修改", "en": "Last changed"},
    "uncommitted": {"zh": "尚未提交", "en": "not yet committed"},
    "template": {"zh": "报告类型", "en": "Report type"},
    "reports": {"zh": "报告数", "en": "Reports"},
    "report_count": {"zh": "共 {count} 篇报告", "en": "{count} reports"},
    "report_count_one": {"zh": "共 1 篇报告", "en": "1 report"},
    "none_yet": {"zh": "暂无报告", "en": "No reports yet"},
    "figures": {"zh": "报告数据", "en": "Figures"},
    "figure_count": {"zh": "{count} 项，见文末", "en": "{count}, at the end of the report"},
    "metric": {"zh": "指标", "en": "Metric"},
    "value": {"zh": "数值", "en": "Value"},
    "measure": {"zh": "计量单位", "en": "Unit"},
    "change": {"zh": "较上年", "en": "On previous year"},
    "change_against": {"zh": "较上年一栏对比的是：", "en": "The previous year is:"},
    "withheld": {"zh": "不予公开", "en": "withheld"},
    "withheld_quote": {"zh": "（不予公开）", "en": "(withheld)"},
    "metrics_page": {"zh": "数据", "en": "Figures"},
    "metrics_intro": {"zh": "各报告 front matter 中的数字，按报告类型和指标汇总；每个数字链接到它所在的报告。图表在构建时生成，表格即其文字说明。",
                      "en": "The figures of the reports' front matter, by report type and metric; each value links to its report. "
                            "The charts are drawn at build time; each table is its chart's text."},
    "downloads": {"zh": "下载", "en": "Downloads"},
    "download_csv": {"zh": "每份报告的每个指标一行（报告标题、地址、单位、年度、印发日期、报告类型、指标名、中英文名称、数值、计量单位、状态、说明），UTF-8 编码带 BOM，可直接用 Excel 打开。",
                     "en": "one row per report and metric (report title, address, unit, year, date, report type, metric key, Chinese and English label, value, unit of measure, status, note), UTF-8 with a byte-order mark so that Excel opens it directly."},
    "download_json": {"zh": "全部报告的目录（front matter、地址、各语言版本）。",
                      "en": "the catalogue of all reports (front matter, address, language versions)."},
    "public_note": {"zh": "本站为公开版：标为保密的数字显示为 **，并且不出现在任何下载文件中。",
                    "en": "This is the public edition: figures marked confidential are shown as ** and left out of every download."},
    "unit_figures": {"zh": "{label}历年数据", "en": "Figures of the {label} by year"},
    "unit_figures_link": {"zh": "本单位历年数据", "en": "This unit's figures by year"},
    "previous": {"zh": "上一篇（同单位）", "en": "Previous report of this unit"},
    "next": {"zh": "下一篇（同单位）", "en": "Next report of this unit"},
    "by_unit_in_year": {"zh": "各单位", "en": "Units"},
    "untranslated": {"zh": "本报告尚无中文版本，以下为原文。",
                     "en": "This report has not been translated into English; it is shown in Chinese."},
    "problems": {"zh": "有 {count} 处问题需要修改", "en": "{count} problems to fix"},
    "search": {"zh": "搜索", "en": "Search"},
    "search_placeholder": {"zh": "搜索报告（按 / 键）", "en": "Search reports (press /)"},
    "search_results": {"zh": "找到 {count} 篇报告", "en": "{count} reports found"},
    "search_none": {"zh": "没有找到相关报告", "en": "No reports found"},
    "search_all": {"zh": "查看全部结果、按年度和单位筛选", "en": "All results, with filters by year and unit"},
    "search_more": {"zh": "显示更多", "en": "Show more"},
    "search_sort": {"zh": "排序", "en": "Sort"},
    "search_filters": {"zh": "筛选", "en": "Filters"},
    "sort_relevance": {"zh": "按相关度", "en": "By relevance"},
    "sort_newest": {"zh": "最新在前", "en": "Newest first"},
    "sort_oldest": {"zh": "最早在前", "en": "Oldest first"},
    "search_hint": {"zh": "输入词语（加引号只找完整词语：\"新质生产力\"），或选择年度、主题、单位、报告类型。",
                    "en": "Type words (in quotes for the exact phrase: \"tax refunds\"), or choose a year, topic, unit or report type."},
    "search_stale": {"zh": "搜索索引建于 {time}，之后改动的 {count} 篇报告在搜索结果中仍是改动前的样子 — 重新启动 ./dev serve 即可重建索引",
                     "en": "The search index was built at {time}; reports changed since then ({count}) are found as they were — "
                           "restart ./dev serve to index them again"},
    "search_stale_more": {"zh": "另有 {count} 篇", "en": "and {count} more"},
    "search_noscript": {"zh": "搜索需要在浏览器中启用 JavaScript。也可按年度、主题或单位浏览。",
                        "en": "Search needs JavaScript in your browser. You can also browse by year, topic or unit."},
    # one definition: how each language writes figures and lists (formatting.CONVENTIONS)
    "list_separator": {lang: rules.list_separator for lang, rules in CONVENTIONS.items()},
    "unit_in_year": {"zh": "{label} {count}", "en": "{label} ({count})"},
    "colon": {lang: rules.colon for lang, rules in CONVENTIONS.items()},
    "metric_title": {"zh": "{label}（{unit}）", "en": "{label} ({unit})"},
    "breadcrumb": {"zh": "位置", "en": "You are here"},
    "permalink": {"zh": "本节链接", "en": "Permanent link"},   # a heading's ¶ (archive.i18n.permalink_titles)
    "not_found": {"zh": "找不到页面", "en": "Page not found"},
    "not_found_text": {"zh": "这个地址没有页面，它可能已被移动或删除。请搜索报告，或从这里浏览：",
                       "en": "There is no page at this address; it may have been moved or removed. "
                             "Search the reports, or browse from here:"},
    "labels_fallback": {"zh": "本站界面尚无 {language} 版本的文字，以下界面文字为中文。",
                        "en": "This site's interface has no {language} words yet; it is shown in English."},
    "feed": {"zh": "订阅最新报告（Atom）", "en": "Follow the latest reports (Atom feed)"},
    "feed_title": {"zh": "{page} — {site}", "en": "{page} — {site}"},
    "feed_subtitle": {"zh": "最新报告，按印发日期由近及远", "en": "The latest reports, newest first by date of issue"},
    "field_separator": {"zh": "；", "en": "; "},
    "sample": {"zh": "示例档案：本站所有报告和数字均为虚构，仅用于演示。",
               "en": "Sample archive: every report and figure on this site is fictional, for demonstration only."},
}


def label(name: str, lang: str, **args: object) -> str:
    """A word of the interface in ``lang``, which must have its words (interface_language)."""
    text = LABELS[name][lang]
    return text.format(**args) if args else text


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages that have every word of the interface, a way of writing figures (CONVENTIONS) and
    the vocabulary's labels (LABEL_LANGUAGES)."""
    return tuple(lang for lang in LABELS["home"] if lang in CONVENTIONS and lang in LABEL_LANGUAGES
                 and all(lang in words for words in LABELS.values()))


def interface_language(lang: str, default: str) -> str:
    """The language of a page's interface words: its own, or, where the archive has not every
    word in it, the configuration's default language — shown as such (a notice, lang attributes:
    render.Context.words), never silently another one."""
    return lang if lang in languages() else default


def missing_labels(lang: str) -> list[str]:
    """The interface words ``lang`` lacks, by name: what a build with that language warns about
    (its figures' formats and the vocabulary's labels too: formatting.CONVENTIONS, vocabulary.LABEL_LANGUAGES)."""
    missing = [name for name, words in LABELS.items() if lang not in words]
    return missing + [name for name, known in (("formatting.CONVENTIONS", CONVENTIONS),
                                               ("vocabulary.LABEL_LANGUAGES", LABEL_LANGUAGES)) if lang not in known]


def count_label(count: int, lang: str) -> str:
    return label("report_count_one", lang) if count == 1 else label("report_count", lang, count=count)


def search_labels(lang: str) -> dict[str, object]:
    """The words the search script shows, in the page's language."""
    def one(name: str) -> str:
        return label(name, lang)
    return {
        "placeholder": one("search_placeholder"), "results": one("search_results"), "none": one("search_none"),
        "all": one("search_all"), "more": one("search_more"), "sort": one("search_sort"), "hint": one("search_hint"),
        "filterButton": one("search_filters"),
        "sorts": {"relevance": one("sort_relevance"), "newest": one("sort_newest"), "oldest": one("sort_oldest")},
        "filters": {"year": one("year"), "topic": one("topic"), "unit": one("unit"), "template": one("template")},
    }
