"""The annotated article view: escaping, overlapping spans, legend, reasons, exact offsets."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.analysis import TABLES, Analysis, table_frame
from framing.errors import FramingError
from framing.view import render_article, render_comparison, render_terminal, show_file, write_worksheet
from framing.view.marks import Mark, nest

HOSTILE = '<script>window.__pwned=1;document.title="PWNED"</script>'
IMG = '<img src=x onerror="window.__pwned=2">'
LINK = '<a href="javascript:window.__pwned=3">click</a>'

ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "div", "header", "p", "h1", "h2", "article",
                "span", "aside", "section", "ul", "ol", "li", "label", "input", "strong", "dl", "dt", "dd", "table",
                "thead", "tbody", "tr", "th", "td", "br", "small", "details", "summary"}
VOID = {"meta", "br", "input"}


class Page(HTMLParser):
    """Collects tags/attributes, checks nesting, and records the text inside each mark and each <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.articles: list[str] = []
        self.mark_text: dict[str, str] = {}
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "style":
            self.in_style = True
        if tag == "article":
            self.articles.append("")
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        assert self.stack and self.stack[-1][0] == tag, f"badly nested </{tag}> (open: {self.stack[-3:]})"
        self.stack.pop()

    def handle_data(self, data):
        if self.in_style:
            return
        if any(t == "article" for t, _ in self.stack):
            self.articles[-1] += data
        for _t, a in self.stack:
            if a.get("data-layer") and a.get("data-layer") != "block":
                key = f"{a.get('data-layer')}:{a['data-start']}:{a['data-end']}:{a['data-n']}"
                self.mark_text[key] = self.mark_text.get(key, "") + data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    assert not [t for t, _ in p.stack if t not in ("html", "body")], f"unclosed: {p.stack}"
    return p


def make_analysis(docs: list[dict], **tables) -> Analysis:
    """An Analysis built by hand: ``docs`` are article rows (with ``text``); tables are lists of row dicts."""
    rows = {t: list(tables.get(t, [])) for t in TABLES}
    rows["texts"] = [{"doc_id": d["doc_id"], "text": d["text"]} for d in docs]
    rows["articles"] = [{k: v for k, v in d.items() if k != "text"} for d in docs]
    return Analysis({t: table_frame(t, rows[t]) for t in TABLES}, {})


def attr_row(doc_id, text, cue, speaker=None, cls="neutral", quote=None, **kw):
    s = text.index(cue)
    row = {"doc_id": doc_id, "start": s, "end": s + len(cue), "cue": cue, "cue_lemma": cue, "cue_class": cls,
           "kind": "direct" if quote else "indirect", "source_type": "named_person", "rule": "subject"}
    if speaker:
        ss = text.index(speaker)
        row.update(speaker=speaker, speaker_start=ss, speaker_end=ss + len(speaker), canonical_speaker=speaker)
    if quote:
        qs = text.index(quote)
        row.update(quote_start=qs, quote_end=qs + len(quote))
    row.update(kw)
    return row


def span_row(doc_id, text, needle, **kw):
    s = text.index(needle)
    return {"doc_id": doc_id, "start": s, "end": s + len(needle), **kw}


@pytest.fixture
def hostile():
    text = (f"Minister {IMG} claimed the plan {HOSTILE} may fail.\n"
            f"\n\"It will fail,\" said Ann <b>Lee</b>, allegedly.\nRead more: {LINK}\n")
    doc = {"doc_id": "evil<1>", "text": text, "outlet": f"Outlet {HOSTILE}", "title": f"Title {IMG}",
           "url": "javascript:window.__pwned=4", "boilerplate_share": 0.2, "n_attributions": 2}
    spk = "Minister " + IMG
    attrs = [attr_row("evil<1>", text, "claimed", spk, "distancing", rule=f"rule {HOSTILE}"),
             attr_row("evil<1>", text, "said", "Ann <b>Lee</b>", quote='"It will fail,"',
                      canonical_speaker=f"Ann {IMG}")]
    hedges = [span_row("evil<1>", text, "may", cue="may", category="uncertainty", rule='x"><script>alert(1)</script>'),
              span_row("evil<1>", text, "claimed", cue="claimed", category="distancing_verb", rule="h/claim")]
    mentions = [span_row("evil<1>", text, "Minister", actor=f"Gov {HOSTILE}", alias="Minister", sentiment=-0.5,
                         sentiment_label=-1)]
    bp = [span_row("evil<1>", text, f"Read more: {LINK}", kind=f"related_link{IMG}", rule="rel")]
    return make_analysis([doc], attributions=attrs, hedges=hedges, mentions=mentions, boilerplate=bp), text


def check_safe(html: str) -> Page:
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag in ALLOWED_TAGS, f"unexpected tag <{tag}>"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler attribute {name}"
            assert name not in ("href", "src", "action", "formaction"), f"link attribute {name}={value!r}"
    low = html.lower()
    assert "<script" not in low and "<img" not in low and "<a " not in low
    return page


def test_hostile_text_and_metadata_are_escaped(hostile):
    a, text = hostile
    view = render_article(a, "evil<1>")
    page = check_safe(view.html)
    assert page.articles == [text]  # the hostile markup is shown as characters, exactly
    assert "&lt;script&gt;" in view.html and "onerror=&quot;" in view.html
    titles = [t for t, _ in page.tags if t == "title"]
    assert titles == ["title"]
    # title, outlet, speaker, actor, lexicon rule and boilerplate kind all went through the escaper
    for raw in (f"Title {IMG}", f"Outlet {HOSTILE}", f"Ann {IMG}", f"Gov {HOSTILE}", f"rule {HOSTILE}"):
        assert raw not in view.html
    assert "Content-Security-Policy" in view.html and "default-src 'none'" in view.html
    check_safe(view._repr_html_())


def test_hostile_comparison_and_worksheet(hostile, tmp_path):
    a, text = hostile
    b = make_analysis([{"doc_id": "evil<1>", "text": text, "outlet": f"A{IMG}"},
                       {"doc_id": "two", "text": f"Plain {HOSTILE} text.", "outlet": f"B {HOSTILE}",
                        "title": LINK}])
    check_safe(render_comparison(b, ["evil<1>", "two"]).html)
    for ex in ("who-speaks", "said-or-claimed", "news-share"):
        p = write_worksheet(a, "evil<1>", tmp_path / f"{ex}.html", exercise=ex, answers=True)
        check_safe(p.read_text(encoding="utf-8"))


def test_overlapping_spans_nest_or_split_without_corrupting_text():
    text = "Officials reportedly claimed that the deal may collapse, sources said."
    d = "d1"
    hedge = span_row(d, text, "reportedly claimed", cue="reportedly claimed", category="distancing_frame", rule="r")
    cue = attr_row(d, text, "claimed that", "Officials", "distancing")  # crosses the hedge's end
    cue2 = attr_row(d, text, "said", "sources")
    m1 = span_row(d, text, "Officials reportedly", actor="Officials", alias="x", sentiment=0.0, sentiment_label=0)
    a = make_analysis([{"doc_id": d, "text": text}], attributions=[cue, cue2], hedges=[hedge], mentions=[m1])
    page = parse(render_article(a, d).html)
    assert page.articles == [text]
    # every mark's pieces put together give exactly its span of the text
    for key, got in page.mark_text.items():
        _, s, e, _n = key.split(":")
        assert got == text[int(s):int(e)], key
    cue_key = f"cue:{text.index('claimed that')}:{text.index('claimed that') + len('claimed that')}:"
    assert [v for k, v in page.mark_text.items() if k.startswith(cue_key)] == ["claimed that"]
    html = render_article(a, d).html
    assert "fv-cont" in html  # something had to be split
    # the split mark is focusable once
    ids = re.findall(r'id="(fv[0-9a-f]*-m\d+)"', html)
    assert len(ids) == len(set(ids))


def test_nest_identical_and_zero_gap_spans():
    text = "abcdef"
    marks = [Mark(0, 3, "hedge", "h"), Mark(0, 3, "cue", "c"), Mark(3, 6, "cue", "c"), Mark(2, 4, "mention", "m")]
    for i, m in enumerate(marks):
        m.index = i
    evs = list(nest(text, marks))
    assert "".join(text[e.start:e.end] for e in evs if e.kind == "text") == text
    depth = 0
    for e in evs:
        depth += {"open": 1, "close": -1}.get(e.kind, 0)
        assert depth >= 0
    assert depth == 0


_LAYERS = ["boilerplate", "quote", "speaker", "mention", "hedge", "cue"]


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\n\t=/é😀")), min_size=1, max_size=40),
       spans=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 40), st.sampled_from(_LAYERS)), max_size=12))
def test_any_spans_render_exact_text(text, spans):
    rows = {"attributions": [], "hedges": [], "mentions": [], "boilerplate": []}
    for s, ln, layer in spans:
        s = min(s, len(text) - 1)
        e = min(len(text), s + ln)
        if layer == "cue":
            rows["attributions"].append({"doc_id": "d", "start": s, "end": e, "cue": "c", "cue_class": "emphatic",
                                         "kind": "direct", "source_type": "unnamed", "rule": "r"})
        elif layer in ("speaker", "quote"):
            k = "speaker" if layer == "speaker" else "quote"
            rows["attributions"].append({"doc_id": "d", "start": None, "end": None, "cue": "c", f"{k}_start": s,
                                         f"{k}_end": e, "cue_class": "neutral"})
        elif layer == "hedge":
            rows["hedges"].append({"doc_id": "d", "start": s, "end": e, "cue": "x", "category": "unverified",
                                   "rule": "r"})
        elif layer == "mention":
            rows["mentions"].append({"doc_id": "d", "start": s, "end": e, "actor": "A", "alias": "a",
                                     "sentiment": 0.3, "sentiment_label": 1})
        else:
            rows["boilerplate"].append({"doc_id": "d", "start": s, "end": e, "kind": "navigation", "rule": "r"})
    a = make_analysis([{"doc_id": "d", "text": text}], **rows)
    html = render_article(a, "d").html
    page = parse(html)
    assert page.articles == [text]
    for key, got in page.mark_text.items():
        _, s, e, _n = key.split(":")
        assert got == text[int(s):int(e)]
    # every focusable mark has a reason, and its reason is listed
    for tag, at in page.tags:
        if at.get("tabindex") == "0" and tag == "span":
            assert at.get("data-why"), at
            assert f'id="{at["aria-describedby"]}"' in html


def test_every_mark_has_reason_and_legend(hostile):
    a, text = hostile
    html = render_article(a, "evil<1>").html
    page = parse(html)
    marks = [at for t, at in page.tags if t == "span" and at.get("data-layer") not in (None, "block")]
    assert {m["data-layer"] for m in marks} == {"cue", "speaker", "quote", "hedge", "mention", "boilerplate"}
    for m in marks:
        assert len(m["data-why"]) > 10
        s, e = int(m["data-start"]), int(m["data-end"])
        assert 0 <= s < e <= len(text)
    focusable = [m for m in marks if m.get("tabindex") == "0"]
    assert len(focusable) == len({(m["data-layer"], m["data-start"], m["data-end"]) for m in marks})
    # reasons name the rule / lexicon entry
    why = " ".join(m["data-why"] for m in marks)
    assert "h/claim" in why and "distancing reporting verb" in why and "lexicon entry" in why
    # legend: present, with a switch and a sample for every kind of highlight
    assert 'class="fv-legend"' in html
    for cls in ("fv-tg-cue", "fv-tg-spk", "fv-tg-q", "fv-tg-h", "fv-tg-a", "fv-tg-bp", "fv-cue-neutral",
                "fv-cue-distancing", "fv-cue-emphatic", "fv-h-uncertainty", "fv-a-neg", "fv-a-pos"):
        assert cls in html, cls
    # numbers panel
    assert "Not news (boilerplate)" in html and "20%" in html


def test_second_cue_beyond_colour():
    from framing.view.html import css

    style = css()
    for sel in (".fv-cue-neutral::after", ".fv-cue-distancing::after", ".fv-cue-emphatic::after",
                ".fv-h-uncertainty::after", ".fv-a-neg::after", ".fv-a-pos::after"):
        assert re.search(re.escape(sel) + r"\s*\{[^}]*content:", style), sel
    assert "dashed" in style and "double" in style and "dotted" in style
    assert ":focus" in style and "outline" in style
    assert "@media (max-width" in style and "@media print" in style


def test_terminal_marks(hostile):
    a, text = hostile
    out = render_terminal(a, "evil<1>")
    assert "[distancing:claimed]" in out or "\u00ab[distancing:claimed]\u00bb" in out
    assert "{Ann <b>Lee</b>}" in out
    assert "\u00abmay\u00bb" in out
    assert "\u27e6related link" in out
    assert "Not news (boilerplate)" in out and "20%" in out


def test_show_file_on_analysis_folder(hostile, tmp_path):
    a, text = hostile
    b = make_analysis([{"doc_id": "evil<1>", "text": text}, {"doc_id": "other", "text": "Nothing here."}])
    a.save(tmp_path / "one")
    b.save(tmp_path / "two")
    out = show_file(tmp_path / "one")
    assert "[distancing:claimed]" in out
    page = tmp_path / "p" / "page.html"
    assert show_file(tmp_path / "one", output=page) == str(page)
    check_safe(page.read_text(encoding="utf-8"))
    with pytest.raises(FramingError, match="E405"):
        show_file(tmp_path / "two")
    with pytest.raises(FramingError, match="E400"):
        show_file(tmp_path / "two", doc_id="missing")
    assert "Nothing here." in show_file(tmp_path / "two", doc_id="other")


def test_errors_are_clear(hostile):
    a, _ = hostile
    with pytest.raises(FramingError, match="no article 'nope'"):
        render_article(a, "nope")
    with pytest.raises(FramingError, match="at least two"):
        render_comparison(a, ["evil<1>"])
    with pytest.raises(FramingError, match="unknown exercise"):
        write_worksheet(a, "evil<1>", "/tmp/x.html", exercise="nope")


def test_comparison_shows_each_articles_numbers():
    t1 = "A said yes.\nDonate now!"
    t2 = "B claimed no."
    a = make_analysis(
        [{"doc_id": "x", "text": t1, "outlet": "Ledger", "boilerplate_share": 0.5, "n_attributions": 1},
         {"doc_id": "y", "text": t2, "outlet": "Courier", "boilerplate_share": 0.0, "n_attributions": 1}],
        attributions=[attr_row("x", t1, "said", "A"), attr_row("y", t2, "claimed", "B", "distancing")])
    html = render_comparison(a, ["x", "y"]).html
    page = parse(html)
    assert page.articles == [t1, t2]
    assert "Ledger" in html and "Courier" in html and "50%" in html and "0%" in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # two articles, no clashing ids


def test_cli_show_and_worksheet(hostile, tmp_path):
    from click.testing import CliRunner

    from framing.cli import main

    a, _ = hostile
    a.save(tmp_path / "an")
    r = CliRunner().invoke(main, ["show", str(tmp_path / "an"), "-o", str(tmp_path / "v.html")])
    assert r.exit_code == 0, r.output
    check_safe((tmp_path / "v.html").read_text(encoding="utf-8"))
    r = CliRunner().invoke(main, ["show", str(tmp_path / "an"), "--doc-id", "zzz"])
    assert r.exit_code == 2 and "zzz" in r.output
    if "worksheet" in main.commands:
        r = CliRunner().invoke(main, ["worksheet", str(tmp_path / "an"), "-o", str(tmp_path / "w.html"),
                                      "--exercise", "said-or-claimed", "--answers"])
        assert r.exit_code == 0, r.output
        assert "Said or claimed?" in (tmp_path / "w.html").read_text(encoding="utf-8")


def test_two_views_on_one_notebook_page_do_not_share_ids(hostile):
    a, text = hostile
    b = make_analysis([{"doc_id": "evil<1>", "text": text}, {"doc_id": "two", "text": text}],
                      hedges=[span_row(d, text, "may", cue="may", category="uncertainty", rule="r")
                              for d in ("evil<1>", "two")])
    page = render_article(b, "evil<1>")._repr_html_() + render_article(b, "two")._repr_html_()
    ids = re.findall(r' id="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    for ref in re.findall(r' aria-describedby="([^"]+)"', page):
        assert ref in ids


def test_terminal_output_cannot_drive_the_terminal():
    text = "Title\x1b[2J\x1b]0;owned\x07\nHe said\r\nit\rhid \x9b31m this.\n"
    a = make_analysis([{"doc_id": "t", "text": text, "title": "T\x1b[31m"}])
    out = render_terminal(a, "t")
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f for c in out)
    assert "He said\nit\ufffdhid" in out


def test_same_span_marks_are_merged_with_both_reasons():
    text = "Ann Lee said it, adding more.\nHome"
    rows = [attr_row("m", text, "said", "Ann Lee"), attr_row("m", text, "adding", "Ann Lee")]
    bp = [span_row("m", text, "Home", kind="navigation", rule="html:outside-main-text"),
          span_row("m", text, "Home", kind="navigation", rule="nav_words")]
    a = make_analysis([{"doc_id": "m", "text": text}], attributions=rows, boilerplate=bp)
    page = parse(render_article(a, "m").html)
    spk = [at for t, at in page.tags if at.get("data-layer") == "speaker"]
    assert len(spk) == 1 and "said" in spk[0]["data-why"] and "adding" in spk[0]["data-why"]
    bps = [at for t, at in page.tags if at.get("data-layer") == "boilerplate"]
    assert len(bps) == 1 and "nav_words" in bps[0]["data-why"] and "outside-main-text" in bps[0]["data-why"]
    assert "{Ann Lee}" in render_terminal(a, "m") and "{{" not in render_terminal(a, "m")


def test_hide_starts_with_kinds_switched_off(hostile):
    a, _ = hostile
    html = render_article(a, "evil<1>", hide=["actors", "hedges"]).html
    got = {name: flag for flag, name in re.findall(r'<input type="checkbox"( checked)? class="fv-tg-(\w+)"', html)}
    assert got == {"cue": " checked", "spk": " checked", "q": " checked", "h": "", "a": "", "bp": " checked"}
    assert 'class="fv-m fv-a' in html  # hidden kinds are still on the page, ready to be revealed
    with pytest.raises(FramingError, match="cannot hide"):
        render_article(a, "evil<1>", hide=["nonsense"])


def test_pdf_without_a_browser_is_a_clear_error(hostile, tmp_path, monkeypatch):
    import framing.view.pdf as pdf

    a, _ = hostile
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    with pytest.raises(FramingError, match="E408.*print it"):
        write_worksheet(a, "evil<1>", tmp_path / "sheet.pdf")
    assert not (tmp_path / "sheet.pdf").exists()
