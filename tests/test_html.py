"""HTML pages to text lines, main-text alignment, metadata, and the benchmark evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.corpus.html import html_metadata, html_to_text
from framing.document import Document
from framing.errors import ArticleError
from framing.extractors.boilerplate import find_boilerplate
from tests.conftest import need_data

PARAS = [
    "The city council voted on Tuesday to approve a new budget that raises spending on schools by eight percent.",
    "Council members debated the plan for more than four hours before the final vote, which passed seven to two.",
    "Opponents said the increase would force property taxes up next year, while supporters called it overdue.",
    "The mayor is expected to sign the budget later this week, according to a spokesperson for her office.",
]

PAGE = f"""<!DOCTYPE html><html><head><title>Council approves school budget | Example News</title>
<meta property="og:title" content="Council approves school budget">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-11-02T10:00:00Z">
<link rel="canonical" href="https://example.com/budget">
<style>.x{{color:red}}</style><script>var a = "<p>not text</p>";</script></head>
<body><nav><ul><li>Home</li><li>Politics</li><li>Sport</li></ul></nav>
<div style="display:none">Hidden promo text</div>
<article><h1>Council approves school budget</h1>
<p>{PARAS[0]}</p><p>{PARAS[1]}</p>
<figure><img src="a.jpg"><figcaption>Council members in session. Photo: Jane Doe</figcaption></figure>
<p>{PARAS[2]}</p><p>Sign up for our free morning newsletter.</p><p>{PARAS[3]} &amp; more&nbsp;soon.</p></article>
<aside><h3>Most popular</h3><ul><li><a href="/1">Ten things to do this weekend in the city centre</a></li></ul></aside>
<footer><p>© 2024 Example News. All rights reserved.</p><p>Privacy Policy | Terms of Use</p></footer>
</body></html>"""


def _body(html: str) -> tuple[str, Document]:
    text, spans = html_to_text(html)
    doc = Document.from_text("p", text)
    doc.boilerplate = list(spans) + [(r["start"], r["end"], r["kind"]) for r in find_boilerplate(doc)]
    return doc.body_text(), doc


def test_page_text_lines_and_main_text():
    text, spans = html_to_text(PAGE)
    lines = text.split("\n")
    assert "Home" in lines and "Politics" in lines
    assert "not text" not in text and "color:red" not in text and "Hidden promo" not in text
    assert "& more soon." in text  # entities decoded, nbsp normalised
    for s, e, _kind in spans:
        assert 0 <= s < e <= len(text)
    body, doc = _body(PAGE)
    for p in PARAS:
        assert p in body
    for junk in ("Home", "Most popular", "All rights reserved", "newsletter", "Photo: Jane Doe"):
        assert junk not in body, junk
    assert "Council approves school budget" not in body  # the headline is metadata
    kinds = {k for _, _, k in doc.boilerplate}
    assert "markup" in kinds and "newsletter_prompt" in kinds


def test_metadata():
    meta = html_metadata(PAGE)
    assert meta == {
        "title": "Council approves school budget",
        "date": "2024-11-02T10:00:00Z",
        "url": "https://example.com/budget",
        "outlet": "Example News",
    }
    plain = "<html><head><title> Plain  title </title></head><body>x</body></html>"
    assert html_metadata(plain)["title"] == "Plain title"


def test_malformed_unclosed_nested_html():
    html = "<html><body><div><p>" + PARAS[0] + "<p>" + PARAS[1] + "<div><span><b>" + PARAS[2]
    text, spans = html_to_text(html)
    assert PARAS[0] in text and PARAS[1] in text and PARAS[2] in text
    deep = "<div>" * 5000 + "<p>" + PARAS[0] + "</p>" + "</div>" * 10
    text, _ = html_to_text(deep)
    assert PARAS[0] in text
    weird = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Ünïcödé “quotes” שלום 😀</p></body></html>'
    assert "שלום 😀" in html_to_text(weird)[0]


@pytest.mark.parametrize("html", [
    "", "   ", "<html><head><script>var x=1;</script><style>p{}</style></head><body></body></html>",
    "<script>only()</script>", "<!-- just a comment -->",
])
def test_no_text_is_a_clear_error(html):
    with pytest.raises(ArticleError) as exc:
        html_to_text(html)
    assert exc.value.code == "E020"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<b>", "text", "Read more",
                                 "“unclosed", "&amp;", "&#x1F600;", "<br>", "Comments", "<li>", "שלום",
                                 PARAS[0]]), max_size=40).map("".join))
def test_property_spans_valid(html):
    try:
        text, spans = html_to_text(html)
    except ArticleError:
        return
    assert text
    for s, e, kind in spans:
        assert 0 <= s < e <= len(text) and kind
    body, doc = _body(html)
    assert 0.0 <= doc.boilerplate_share <= 1.0


def test_huge_page():
    html = "<html><body>" + "".join(f"<p>{PARAS[i % 4]} {i}</p>" for i in range(3000)) + "</body></html>"
    text, spans = html_to_text(html)
    assert text.count("\n") == 2999


def test_evaluation_on_real_benchmarks():
    """Small real-data smoke check: the evaluation runs and our body text beats chance by far."""
    from framing.evaluate.boilerplate import evaluate_article_extraction_benchmark, token_f1

    root = need_data("article_extraction_benchmark")
    assert token_f1("a b c", "a b c") == 1.0 and token_f1("a", "b") == 0.0
    res = evaluate_article_extraction_benchmark(root, peers=False, limit=15)
    assert res["n_pages"] == 15
    assert res["body_f1"] >= 0.85 and res["share_mae"] <= 0.1


def test_client_side_template_is_page_text():
    html = ("<html><body><div class='post-body'><script type='text/template'><p>" + PARAS[0] + "</p><p>" + PARAS[1]
            + "</p></script></div><script>var x = '<p>code</p>';</script></body></html>")
    text, _ = html_to_text(html)
    assert PARAS[0] in text and PARAS[1] in text and "code" not in text
