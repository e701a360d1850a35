"""The guide's pymdown-extensions blocks in Chromium (issue 12): tabs switch, the collapsible table opens,
every code block has Material's copy button, all under the pages' Content-Security-Policy.

A fixture site gets a guide page written with the same constructs as docs/guide/ (tabs of commands
per system, a fence in a list, a collapsible table), built strictly: the allowlist removes nothing.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from sites import make_site

GUIDE = '''---
title: 指南
---

# 指南

1. 运行检查：

    === "Linux、macOS"

        ```sh
        ./dev check
        ```

    === "Windows"

        ```powershell
        .venv\\Scripts\\python hooks\\dev.py check
        ```

    === "网页编辑器"

        提交拉取请求后，平台自动检查。

??? "全部常见提示（点击展开）"

    | 提示 | 怎样改 |
    | --- | --- |
    | 缺少 front matter | 在文件第一行写 `---` |

```text
没有发现问题。
```
'''


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("guide-blocks") / "site", search=False)
    (site.docs / "guide").mkdir()
    (site.docs / "guide" / "index.md").write_text(GUIDE, encoding="utf-8")
    result = site.build(strict=True)
    assert result.returncode == 0, result.output[-3000:]
    assert "不允许" not in result.output
    return site.out


def test_tabs_details_and_copy_buttons_work(page, serve, guide_site):
    refused = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.goto(serve(guide_site) + "guide/")
    tabs = page.locator(".tabbed-set")
    assert tabs.count() == 1
    assert tabs.locator(".tabbed-labels > label").all_inner_texts() == ["Linux、macOS", "Windows", "网页编辑器"]
    blocks = tabs.locator(".tabbed-block")
    assert [blocks.nth(n).is_visible() for n in range(3)] == [True, False, False]
    tabs.locator("label", has_text="Windows").click()
    assert [blocks.nth(n).is_visible() for n in range(3)] == [False, True, False]
    assert blocks.nth(1).locator("code").inner_text() == ".venv\\Scripts\\python hooks\\dev.py check"
    # three code blocks (two in the tabs, in a list item), each with Material's copy button
    assert page.locator("pre > code").count() == 3
    assert page.locator("button.md-code__button").count() == 3
    # the collapsible table: closed, then open
    details = page.locator("article details")
    assert details.locator("summary").inner_text() == "全部常见提示（点击展开）"
    assert not details.locator("table").is_visible()
    details.locator("summary").click()
    assert details.locator("table").is_visible()
    assert refused == []  # nothing refused by the page's policy, no script error
