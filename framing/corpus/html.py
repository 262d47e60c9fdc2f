"""HTML pages to text lines, with the lines outside the main article marked as boilerplate.

A page becomes one line per paragraph, heading, list item or table cell (scripts, styles,
``noscript``, forms' hidden parts and hidden elements dropped; entities decoded; whitespace
collapsed), so offsets into the returned text work like those of any plain-text article.

The main article text is found with trafilatura (offline, no fallback downloads); its paragraphs
are then aligned back to the page lines by their normalised word sequence. Lines that do not align
are returned as boilerplate spans of kind ``markup``, or a finer kind (``navigation``,
``share_widget``, ...) when a whole-line pattern of the ``boilerplate`` lexicon names it.
Boilerplate *inside* the main text (newsletter prompts between paragraphs, "Read more:" links)
is left to :func:`framing.extractors.boilerplate.find_boilerplate`.
"""

from __future__ import annotations

import json
import re
import warnings

import lxml.etree
import lxml.html

from framing.errors import ArticleError

__all__ = ["html_to_text", "html_metadata", "main_text"]

# Elements whose content is never visible text.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas",
    "select", "option", "datalist", "textarea", "input", "head", "title", "meta", "link", "audio", "video",
    "source", "track", "map", "param",
)
# Elements that start a new line (block-level, line breaks, cells).
_BLOCK_TAGS = frozenset(
    """address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main
    menu nav ol p pre section summary table tbody tfoot thead tr ul button label""".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_CAPTION_TAGS = frozenset({"figcaption"})
_CELLS = re.compile(r"(?: ?\| ?)+")
_TITLE_SPLIT = re.compile(r"\s+[|–—·•-]\s+|\s+::\s+")
_STYLE = "translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ \t', 'abcdefghijklmnopqrstuvwxyz')"  # lower, no spaces
_HIDDEN_XPATH = (
    "//*[@hidden or @aria-hidden='true' or @type='hidden'"
    f" or contains({_STYLE}, 'display:none') or contains({_STYLE}, 'visibility:hidden')]"
)
_SPACE = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
_TOKEN = re.compile(r"\w+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_MAX_TRAFILATURA_CHARS = 3_000_000  # beyond this, trafilatura is skipped and the page text is kept whole


def _parse(html: str) -> lxml.html.HtmlElement | None:
    """Parse forgivingly (bytes + explicit encoding: str input with an XML declaration is fine)."""
    if not html or not html.strip():
        return None
    data = _XML_DECL.sub("", html, count=1).encode("utf-8", "surrogatepass")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, recover=True, huge_tree=True)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        try:
            return lxml.html.fromstring(data, parser=parser)
        except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
            return None


_TEMPLATE_TYPES = frozenset({"text/template", "text/html", "text/x-template"})


def _expand_templates(root: lxml.html.HtmlElement) -> None:
    """Put client-side templates (``<script type="text/template">``, as on Blogger) in the page.

    A browser renders their HTML as the article body; without this the body would be lost.
    """
    for el in list(root.iter("script")):
        if (el.get("type") or "").strip().lower() not in _TEMPLATE_TYPES or not el.text or el.getparent() is None:
            continue
        try:
            parts = lxml.html.fragments_fromstring(el.text)
        except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
            continue
        div = lxml.html.Element("div")
        for part in parts:
            if isinstance(part, str):
                if len(div):
                    div[-1].tail = (div[-1].tail or "") + part
                else:
                    div.text = (div.text or "") + part
            else:
                div.append(part)
        div.tail = el.tail
        el.getparent().replace(el, div)


def _visible_lines(root: lxml.html.HtmlElement) -> tuple[list[str], list[bool]]:
    """The page's visible text, one normalised line per block element, and caption flags.

    A table row is one line, its cells separated by " | " (cells that hold paragraphs, as in
    layout tables, still give one line per paragraph). The flag is True for lines inside
    ``<figcaption>`` / ``<figure>`` / ``<caption>`` (photo captions and credits).
    """
    _expand_templates(root)
    for el in list(root.iter(*_DROP_TAGS)):
        if el is not root and el.getparent() is not None:
            el.drop_tree()
    try:
        hidden = root.xpath(_HIDDEN_XPATH)
    except lxml.etree.XPathError:  # pragma: no cover - defensive
        hidden = []
    for el in hidden:
        if el is not root and el.getparent() is not None:
            el.drop_tree()
    lines: list[str] = []
    flags: list[bool] = []
    buf: list[str] = []
    caption_depth = 0
    buf_caption = False

    def flush() -> None:
        nonlocal buf_caption
        if buf:
            line = _CELLS.sub(" | ", _SPACE.sub(" ", "".join(buf))).strip(" |")
            if line:
                lines.append(line)
                flags.append(buf_caption)
            buf.clear()
        buf_caption = False

    def add(s: str | None) -> None:
        nonlocal buf_caption
        if s:
            buf.append(s)
            if caption_depth and not s.isspace():
                buf_caption = True

    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                buf.append(" | ")
            if tag in _CAPTION_TAGS:
                caption_depth += 1
            if tag:
                add(el.text)
        else:
            if tag in _CAPTION_TAGS:
                caption_depth = max(0, caption_depth - 1)
            if tag in _BLOCK_TAGS:
                flush()
            elif tag in _CELL_TAGS:
                buf.append(" | ")
            if el is not root:
                add(el.tail)
    flush()
    return lines, flags


_FB_DROP = re.compile(r"<(script|style|noscript|template|svg|head)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)", re.I | re.S)
_FB_BLOCK = re.compile(r"<\s*/?\s*(?:" + "|".join(sorted(_BLOCK_TAGS)) + r"|td|th)\b[^>]*>", re.I)
_FB_TAG = re.compile(r"<[^>]*>?")


def _fallback_lines(html: str) -> list[str]:
    """Visible lines by regex tag stripping, for pages the parser cannot represent."""
    import html as html_lib

    s = _FB_DROP.sub(" ", html)
    s = _FB_BLOCK.sub("\n", s)
    s = html_lib.unescape(_FB_TAG.sub(" ", s))
    return [ln for ln in (_SPACE.sub(" ", x).strip() for x in s.split("\n")) if ln]


def main_text(html: str | lxml.html.HtmlElement, include_comments: bool = False) -> str | None:
    """trafilatura's main text of a page (plain text, paragraphs on lines), or None."""
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return trafilatura.extract(
                html, include_comments=include_comments, include_tables=True, deduplicate=False,
                with_metadata=False, output_format="txt",
            )
        except Exception:  # trafilatura raises assorted errors on pathological pages
            return None


def _norm_tokens(text: str) -> str:
    return " ".join(_TOKEN.findall(text.lower()))


def _shingles(tokens: list[str], k: int = 3) -> set[tuple[str, ...]]:
    if len(tokens) < k:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def _align(lines: list[str], main: str) -> list[bool]:
    """Which page lines belong to the main text, by their normalised word sequence.

    Every occurrence of a line in the (normalised) main text is a candidate; the chosen candidates
    are the heaviest set (by matched characters) that keeps page order and does not overlap, so a
    teaser or caption that repeats a paragraph cannot pull the alignment off course. Short lines
    (headings, list items, labels) must match a whole line of the main text. Long lines that the
    extractor re-wrapped or trimmed, and that occur nowhere verbatim, are accepted when most of
    their word 3-grams are in the main text.
    """
    main_lines = [n for n in (_norm_tokens(x) for x in main.splitlines()) if n]
    flat = " " + " ".join(main_lines) + " "
    line_starts, line_ends = set(), set()
    exact: dict[str, list[int]] = {}
    pos = 0
    for n in main_lines:
        line_starts.add(pos)
        exact.setdefault(n, []).append(pos)
        pos += len(n) + 1
        line_ends.add(pos)
    # Index of word trigrams of the main text -> positions (of the space before the first word), so
    # that finding a line costs one lookup, not a scan of the whole main text (huge pages).
    toks = flat.split()
    trigram_at: dict[tuple[str, ...], list[int]] = {}
    p = 0
    for k in range(len(toks)):
        if k + 3 <= len(toks):
            trigram_at.setdefault((toks[k], toks[k + 1], toks[k + 2]), []).append(p)
        p += len(toks[k]) + 1
    # Candidates: (line index, start, end) in flat coordinates (start = the leading space).
    cands: list[tuple[int, int, int]] = []
    norms = [_norm_tokens(line) for line in lines]
    for i, norm in enumerate(norms):
        if not norm:
            continue
        needle = " " + norm + " "
        words = norm.split(" ")
        short = len(words) < 4 and len(norm) < 30
        if short or len(words) < 3:
            starts = [s for s in exact.get(norm, ()) if s in line_starts][:8]
        else:
            starts = [s for s in trigram_at.get((words[0], words[1], words[2]), ()) if flat.startswith(needle, s)][:8]
        for s in starts:
            cands.append((i, s, s + len(needle) - 1))
    chosen = _heaviest_chain(cands)
    keep = [False] * len(lines)
    for i in chosen:
        keep[i] = True
    if len(chosen) < len(lines):
        # Shingles already taken by aligned lines cannot be taken again (no double counting of a
        # paragraph that the page repeats, e.g. in a print or "full text" copy).
        free = _shingles(flat.split())
        for i in chosen:
            free -= _shingles(norms[i].split())
        matched_anywhere = {c[0] for c in cands}
        for i, norm in enumerate(norms):
            if keep[i] or i in matched_anywhere or norm.count(" ") < 5:
                continue
            sh = _shingles(norm.split())
            if len(sh & free) >= 0.6 * len(sh):
                keep[i] = True
                free -= sh
    prev = False
    for i, norm in enumerate(norms):  # lines without words follow their predecessor
        if not norm:
            keep[i] = prev
        prev = keep[i]
    return keep


def _heaviest_chain(cands: list[tuple[int, int, int]]) -> list[int]:
    """Line indices of the heaviest chain of candidates increasing in both line and position.

    ``cands`` are ``(line, start, end)`` sorted by line; weight = end - start. A weighted longest
    increasing subsequence with a Fenwick tree of prefix maxima over end positions: O(n log n).
    """
    if not cands:
        return []
    ends = sorted({c[2] for c in cands})
    index = {e: k + 1 for k, e in enumerate(ends)}
    size = len(ends)
    tree_val = [0] * (size + 1)
    tree_arg = [-1] * (size + 1)

    def query(k: int) -> tuple[int, int]:  # best chain ending at an end position rank <= k
        best, arg = 0, -1
        while k > 0:
            if tree_val[k] > best:
                best, arg = tree_val[k], tree_arg[k]
            k -= k & -k
        return best, arg

    def update(k: int, val: int, arg: int) -> None:
        while k <= size:
            if val > tree_val[k]:
                tree_val[k], tree_arg[k] = val, arg
            k += k & -k

    from bisect import bisect_right

    score = [0] * len(cands)
    parent = [-1] * len(cands)
    j = 0
    n = len(cands)
    while j < n:
        line = cands[j][0]
        k = j
        while k < n and cands[k][0] == line:
            k += 1
        for c in range(j, k):  # a line's candidates cannot chain with each other: insert after
            _, start, end = cands[c]
            best, arg = query(bisect_right(ends, start))
            score[c] = best + (end - start)
            parent[c] = arg
        for c in range(j, k):
            update(index[cands[c][2]], score[c], c)
        j = k
    c = max(range(n), key=score.__getitem__)
    out = []
    while c >= 0:
        out.append(cands[c][0])
        c = parent[c]
    return out[::-1]


_PROSE_END = re.compile(r"[.!?…][\"'”’)]*$")


def _fill_prose_gaps(lines: list[str], keep: list[bool], max_gap: int = 6) -> None:
    """Take back paragraphs the extractor skipped inside the article.

    A run of at most ``max_gap`` lines between two main-text lines, in which every line is prose (at
    least 25 words, ending like a sentence), is article text the extractor dropped (often a
    paragraph with unusual markup); link lists and widgets between paragraphs are not prose.
    """
    kept = [i for i, k in enumerate(keep) if k]
    for a, b in zip(kept, kept[1:]):
        if 1 < b - a <= max_gap + 1:
            gap = range(a + 1, b)
            if all(len(lines[i].split()) >= 25 and _PROSE_END.search(lines[i]) for i in gap):
                for i in gap:
                    keep[i] = True


def _title_keys(root: lxml.html.HtmlElement) -> set[str]:
    """Normalised forms of the page's headline: og/twitter title, ``<title>`` and its parts, ``<h1>``."""
    raw = []
    for key in ("og:title", "twitter:title"):
        raw += root.xpath("//meta[@property=$k or @name=$k]/@content", k=key)
    for t in root.xpath("//title"):
        full = t.text_content()
        raw.append(full)
        raw.append(max(_TITLE_SPLIT.split(full), key=len))  # "Headline | Site" -> "Headline"
    raw += [h.text_content() for h in root.xpath("//h1")[:2]]
    keys = set()
    for r in raw:
        n = _norm_tokens(r or "")
        if n.count(" ") >= 2:  # at least three words: never a bare site name or section label
            keys.add(n)
    return keys


def html_to_text(html: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Visible text of a page as lines, and the spans outside its main text.

    Parameters
    ----------
    html : str
        The page (decoded). Malformed, unclosed or deeply nested markup is parsed forgivingly.

    Returns
    -------
    (text, spans)
        ``text``: one line per paragraph/heading/list item/cell. ``spans``: ``(start, end, kind)``
        for runs of lines outside the main article text (kind ``markup``, or a finer boilerplate
        kind when a whole-line pattern names the line).

    Raises
    ------
    ArticleError
        ``E020`` when the page has no visible text at all (e.g. only scripts and styles).
    """
    root = _parse(html if isinstance(html, str) else str(html))
    titles = _title_keys(root) if root is not None else set()
    lines, captions = _visible_lines(root) if root is not None else ([], [])
    if not lines:  # pathological markup (e.g. nesting deeper than the parser allows): strip tags by regex
        lines = _fallback_lines(html)
        captions = [False] * len(lines)
    if not lines:
        raise ArticleError("E020", "the HTML page has no visible text (only markup, scripts or styles)")
    text = "\n".join(lines)
    main = main_text(html) if len(html) <= _MAX_TRAFILATURA_CHARS else None
    if main and main.strip():
        keep = _align(lines, main)
        if not any(keep):  # alignment failed entirely: better to keep the page than to drop it all
            keep = [True] * len(lines)
    else:
        keep = [True] * len(lines)
    _fill_prose_gaps(lines, keep)
    # The headline is metadata (html_metadata()["title"]), and captions are not running text.
    for i, line in enumerate(lines):
        if keep[i] and (captions[i] or (titles and _norm_tokens(line) in titles)):
            keep[i] = False
    from framing.extractors.boilerplate import classify_line

    spans: list[tuple[int, int, str]] = []
    pos = 0
    for line, is_main in zip(lines, keep):
        start, end = pos, pos + len(line)
        pos = end + 1
        if is_main:
            continue
        # One span per line (not merged across the newline), so that boilerplate characters and
        # block characters are counted alike (Document.boilerplate_share).
        spans.append((start, end, classify_line(line) or "markup"))
    return text, spans


def _meta(root: lxml.html.HtmlElement, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            vals = root.xpath(f"//meta[@{attr}=$k]/@content", k=key)
            for v in vals:
                v = _SPACE.sub(" ", v).strip()
                if v:
                    return v
    return None


def _json_ld(root: lxml.html.HtmlElement) -> dict:
    """The first JSON-LD object with article metadata (headline, datePublished, publisher)."""
    for raw in root.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                if "headline" in obj or "datePublished" in obj:
                    return obj
    return {}


def html_metadata(html: str) -> dict[str, str | None]:
    """Title, date, canonical URL and outlet name of a page, from meta tags, JSON-LD and ``<title>``.

    Returns ``{"title", "date", "url", "outlet"}``; a value is None when the page does not say.
    """
    out: dict[str, str | None] = {"title": None, "date": None, "url": None, "outlet": None}
    root = _parse(html if isinstance(html, str) else str(html))
    if root is None:
        return out
    ld = _json_ld(root)
    headline = ld.get("headline")
    title = _meta(root, "og:title", "twitter:title") or (headline if isinstance(headline, str) else None)
    if not title:
        t = root.xpath("//title//text()")
        title = _SPACE.sub(" ", " ".join(t)).strip() or None
    out["title"] = title
    date = _meta(root, "article:published_time", "datePublished", "date", "pubdate", "publishdate", "dc.date",
                 "DC.date.issued", "sailthru.date", "parsely-pub-date")
    if not date and isinstance(ld.get("datePublished"), str):
        date = ld["datePublished"]
    if not date:
        times = root.xpath("//time/@datetime")
        date = times[0].strip() if times else None
    out["date"] = date or None
    canon = root.xpath("//link[@rel='canonical']/@href")
    out["url"] = (canon[0].strip() if canon and canon[0].strip() else None) or _meta(root, "og:url")
    outlet = _meta(root, "og:site_name", "application-name", "publisher", "twitter:site")
    if not outlet:
        pub = ld.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            outlet = pub["name"]
    out["outlet"] = outlet
    return out
