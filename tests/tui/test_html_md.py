"""Feed HTML to Markdown for the reader: structure kept, feed text never Markdown of its own."""

from __future__ import annotations

from markdown_it import MarkdownIt

from tracker.tui.html_md import html_to_markdown, safe_link, text_to_markdown


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def test_structure_is_kept() -> None:
    md = html_to_markdown(
        "<h2>Chips</h2><p>Shares of <b>Nvidia</b> fell <em>17%</em>.</p>"
        "<ul><li>ASML</li><li>TSMC</li></ul><ol><li>one</li><li>two</li></ol>"
        "<blockquote><p>Quoted</p></blockquote><pre>x = 1\n  y = 2</pre>"
    )
    html = rendered(md)
    assert "<h3>Chips</h3>" in html
    assert "<strong>Nvidia</strong>" in html and "<em>17%</em>" in html
    assert "<li>ASML</li>\n<li>TSMC</li>" in html  # a tight list
    assert "<ol>" in html and "<blockquote>" in html
    assert "<pre><code>x = 1\n  y = 2\n</code></pre>" in html


def test_feed_text_is_not_markdown_or_html() -> None:
    text = "*not em* [b]x[/b] [@click=app.quit]q[/] <script>1</script> # no heading 1. no list"
    html = rendered(html_to_markdown(f"<p>{text.replace('<', '&lt;')}</p>"))
    assert "<em>" not in html and "<script>" not in html and "<h1>" not in html
    assert "[@click=app.quit]q[/]" in html and "*not em*" in html
    assert rendered(text_to_markdown(text)).count("<p>") == 1


def test_only_web_links_become_links() -> None:
    md = html_to_markdown(
        '<p><a href="https://ok.example/a?b=1">ok</a> <a href="javascript:alert(1)">js</a> '
        '<a href="file:///etc/passwd">file</a> <a href="https://x.example/a b">space</a></p>'
    )
    html = rendered(md)
    assert '<a href="https://ok.example/a?b=1">ok</a>' in html
    assert html.count("<a ") == 1 and "javascript" not in html and "file:" not in html


def test_scripts_and_styles_are_dropped_and_images_named() -> None:
    md = html_to_markdown('<p>a<script>evil()</script><style>p{}</style><img alt="chart"></p>')
    assert "evil" not in md and "p{}" not in md
    assert "image: chart" in md.replace("\\", "")


def test_safe_link() -> None:
    assert safe_link(" https://a.example/x ") == "https://a.example/x"
    assert safe_link("HTTP://A.example") == "HTTP://A.example"
    for bad in ("", None, "ftp://a", "javascript:x", "-https://a", "http://a\\b", "http://a b"):
        assert safe_link(bad) is None
