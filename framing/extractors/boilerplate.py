"""Boilerplate: the parts of a news page that are not journalism.

Donation appeals, subscription and newsletter prompts, cross-promotions and
related links, comment/share widgets, cookie notices, navigation, bylines and
credits, advertisements and legal footers are found in plain text from the
patterns of the ``boilerplate`` lexicon (``framing/lexicons/boilerplate.tsv``).
Each pattern has a scope:

``block``
    the pattern matches a whole block (line), e.g. "Comments", "Share this article";
``prefix``
    a short block starts with it ("VOICES: ...", "Read more: ..."): the whole block is marked;
``sentence``
    a sentence containing it is marked, and only that sentence, so an appeal glued to the first
    sentence of the body ("...all the difference.North Korea has vowed...") leaves the body intact.

Three context rules then extend the pattern hits, all independent of any one page:

* **reader-address runs**: an appeal (donation, subscription, newsletter, comments) often spans
  several paragraphs of which only some carry a pattern. Blocks next to an appeal block that speak
  to the reader in the outlet's voice (second person / first-person plural, talk about the outlet's
  own journalism, no quotation marks or reporting verbs) belong to the same appeal;
* **promo teasers**: a cross-promotion is often followed by the promoted piece's standfirst and a
  repeat of its title; short blocks that repeat the promo, lead into a repeat of it, or end in a
  colon join the promo;
* **sandwiches**: a short block between two blocks of the same widget kind takes that kind.

Finally, blocks repeated across many articles of the same outlet are marked ``repeated``: the
corpus-level count is :func:`framing.pipeline.outlet_repetition` (it needs every article, so it
lives with the engines), which passes each outlet's set of :func:`block_key` values here.

A wire dateline such as "LONDON (Reuters) -" that opens the lead sentence is *not* boilerplate: it
is part of the first sentence of the report, and cutting it would cut the lead.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache

from framing.document import Document
from framing.lexicons import load_lexicon
from framing.options import Options

__all__ = ["find_boilerplate", "block_key", "block_key_int", "block_key_ints", "classify_line", "BOILERPLATE_KINDS"]

BOILERPLATE_KINDS = (
    "donation_appeal",
    "subscription_prompt",
    "newsletter_prompt",
    "cross_promo",
    "related_link",
    "comments_widget",
    "share_widget",
    "cookie_notice",
    "navigation",
    "byline_credit",
    "advertisement",
    "legal_footer",
    "repeated",
    "markup",
)

# Kinds whose runs of neighbouring reader-addressing blocks are absorbed (the contiguity rule).
_APPEAL_KINDS = frozenset({"donation_appeal", "subscription_prompt", "newsletter_prompt", "comments_widget"})
# Kinds that take a short block sandwiched between two blocks of the same kind.
_WIDGET_KINDS = _APPEAL_KINDS | {"share_widget", "navigation", "legal_footer", "cookie_notice"}
_PROMO_KINDS = frozenset({"cross_promo", "related_link"})

_BLOCK_MAX_CHARS = 250  # whole-block patterns are labels and credit lines, never long paragraphs
_PREFIX_MAX_CHARS = 300  # a "prefix" pattern marks a block only when the block is a short teaser
_RUN_MAX_BLOCKS = 6  # how far a reader-address run may extend from its appeal block
_SANDWICH_MAX_CHARS = 150
_TEASER_MAX_CHARS = 300

# Signals of reported news: quotation marks and reporting verbs. A sentence or block with them is
# never marked by a sentence pattern or pulled into an appeal run.
_NEWS_QUOTES = '"“”„«»'
_NEWS_WORDS = ("said", "says", "told", "according to", "reported", "announced")
_NEWS_SIGNAL = re.compile(f"[{_NEWS_QUOTES}]|\\b(?:{'|'.join(_NEWS_WORDS)})\\b", re.I)
# Every match of _NEWS_SIGNAL contains one of these, lower-cased (see _has_news_signal): built from the
# same words and marks, so that the pre-check cannot drift from the regex.
_NEWS_PIECES = (*_NEWS_WORDS, *_NEWS_QUOTES)
_WORD = re.compile(r"\w+")
_WRITES = re.compile(r"\bwrites\b", re.I)
_READER_WORD = re.compile(r"\b(?:you|your|we|our|us)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*\s*$")
_KEY_STRIP = re.compile(r"[\W_]+")


def _signal_text(doc: Document) -> str | None:
    """``doc.lower_text()`` when :func:`_has_news_signal` may rule sentences out with it, else None: not when
    lower-casing changed the length or kept "ı" or "ſ" (the case-insensitive regex reads them as "i" and "s")."""
    low = doc.lower_text()
    if len(low) != len(doc.text) or "ı" in low or "ſ" in low:
        return None
    return low


def _has_news_signal(text: str, low: str | None, s: int, e: int) -> bool:
    """Whether ``_NEWS_SIGNAL`` occurs in ``text[s:e]``.

    With ``low`` (from :func:`_signal_text`, offsets aligned with ``text``), every match starts where ``low``
    holds one of ``_NEWS_PIECES``: the pieces are found with ``str.find`` and the regex is tried only there
    (``match`` at a piece instead of ``search`` over the span; a span without any piece, most sentences,
    costs a few ``find`` calls)."""
    if low is None:
        return _NEWS_SIGNAL.search(text, s, e) is not None
    match = _NEWS_SIGNAL.match
    for piece in _NEWS_PIECES:
        at = low.find(piece, s, e)
        while at >= 0:
            if match(text, at, e) is not None:
                return True
            at = low.find(piece, at + 1, e)
    return False


class _Rules:
    """The compiled lexicon: one combined regex per scope, plus the cue words."""

    def __init__(self, rows: list[dict[str, str]]):
        self.names: dict[str, tuple[str, str]] = {}
        parts: dict[str, list[str]] = defaultdict(list)
        cues: dict[str, list[str]] = defaultdict(list)
        # Unanchored sentence patterns: (triggers, compiled pattern, rule id, kind).
        self.triggered: list[tuple[tuple[str, ...], re.Pattern, str, str]] = []
        untriggered: list[str] = []
        for i, row in enumerate(rows):
            scope = row["scope"]
            pattern = row["pattern"]
            if scope in ("reader", "journalism"):
                cues[scope].extend(w.strip() for w in pattern.split("|") if w.strip())
                continue
            group = f"r{i}"
            self.names[group] = (row["id"], row["kind"])
            if scope == "sentence" and pattern.startswith("^"):
                scope = "anchored"
            if scope in ("block", "prefix", "anchored"):
                pattern = pattern.lstrip("^").replace("|^", "|")
                if scope == "block" and pattern.endswith("$") and not pattern.endswith("\\$"):
                    pattern = pattern[:-1]  # block patterns are matched whole anyway
            if scope == "sentence":
                words = row.get("trigger", "-").split("|")
                triggers = tuple(w.strip().lower() for w in words if w.strip() not in ("", "-"))
                if triggers:
                    self.triggered.append((triggers, re.compile(pattern, re.I), row["id"], row["kind"]))
                    continue
                untriggered.append(f"(?P<{group}>{pattern})")
                continue
            parts[scope].append(f"(?P<{group}>{pattern})")

        def combine(scope: str, template: str) -> re.Pattern | None:
            if not parts[scope]:
                return None
            return re.compile(template.format("|".join(parts[scope])), re.I)

        # Block: the whole block, apart from bullets, punctuation and a trailing count.
        self.block = combine("block", r"[\W_]*(?:{})[\W_]*(?:\d+[\W_]*)?")
        self.prefix = combine("prefix", r"[\W_]*(?:{})")
        self.anchored = combine("anchored", r"[\W_]*(?:{})")
        self.sentence = re.compile("|".join(untriggered), re.I) if untriggered else None
        self.trigger_words = sorted({w for trig, _, _, _ in self.triggered for w in trig})
        self.trigger_rx = re.compile(r"\b" + _trie_pattern(self.trigger_words)) if self.trigger_words else None
        # The same matches after the start of the text, found faster: the regex engine skips ahead to
        # non-word characters instead of trying the word boundary at every position. Exact when every
        # trigger starts and ends with a word character (then a trigger starts at a word boundary
        # exactly when a non-word character precedes it, and that character is never part of the
        # previous match).
        self.trigger_after_rx = None
        if self.trigger_words and all(re.fullmatch(r"\w(?:.*\w)?", w, re.S) for w in self.trigger_words):
            self.trigger_after_rx = re.compile(r"\W(" + _trie_pattern(self.trigger_words) + ")")
        # Both with ASCII-only ``\W`` and ``\b``, for a text whose word characters are all ASCII (see
        # :func:`_ascii_words`): the same matches there (the triggers themselves are literals without re.I),
        # about a quarter fewer instructions (a table lookup per character instead of Unicode category calls).
        self.trigger_rx_ascii = re.compile(self.trigger_rx.pattern, re.ASCII) if self.trigger_rx else None
        self.trigger_after_rx_ascii = (re.compile(self.trigger_after_rx.pattern, re.ASCII)
                                       if self.trigger_after_rx else None)
        self.trigger_prefixes = {w: [p for p in self.trigger_words if w.startswith(p)] for w in self.trigger_words}
        # For each match of trigger_rx (the longest trigger at a word start): the indexes in ``triggered``
        # of the rules that one of the triggers occurring there (it and its prefixes) points to.
        self.trigger_rules: dict[str, frozenset[int]] = {
            w: frozenset(r for r, (trig, _, _, _) in enumerate(self.triggered) if any(p in trig for p in prefixes))
            for w, prefixes in self.trigger_prefixes.items()
        }
        words = sorted(set(cues["reader"]), key=len, reverse=True)
        self.reader = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) if words else None
        words = sorted(set(cues["journalism"]), key=len, reverse=True)
        self.journalism = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) if words else None

    def which(self, m: re.Match) -> tuple[str, str]:
        """(rule id, kind) of the alternative that matched."""
        return self.names[m.lastgroup] if m.lastgroup in self.names else self.names[_first_group(m)]


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, factored as a prefix tree (fast: no per-word rescans)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts, optional = [], False
        for ch, sub in sorted(node.items()):
            if ch == "":
                optional = True
            else:
                alts.append(re.escape(ch) + build(sub))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if optional else body

    return build(trie)


def _first_group(m: re.Match) -> str:
    for name, value in m.groupdict().items():
        if value is not None:
            return name
    raise LookupError("no group matched")  # pragma: no cover - a match always has one group


@lru_cache(maxsize=16)
def _rules(extra: str | None) -> _Rules:
    return _Rules(load_lexicon("boilerplate", extra))


# Block keys normalise a block to its runs of letters and digits (lower-cased) joined by single spaces.
# Most blocks are ASCII, or ASCII plus punctuation such as curly quotes and dashes: for those, a byte
# translation table (every byte but a-z and 0-9 becomes a space) and ``bytes.split`` give the same
# normal form as the regex, many times faster.
_KEY_BYTES = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 0x20 for c in range(256))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_BYTES = bytes(range(128))
_SPACES = re.compile(rb"  +")  # in translated bytes (a-z, 0-9 and spaces), a run of spaces


def _normalised(text: str) -> bytes:
    """The UTF-8 bytes of a block's normal form: ``_KEY_STRIP.sub(" ", text.lower()).strip()``."""
    low = text.lower()
    if low.isascii():
        data = low.encode("ascii")
    elif any(ch.isalnum() for ch in _NON_ASCII.findall(low)):
        # a letter or digit outside ASCII (é, ß, ²...): the regex, which knows them all
        return _KEY_STRIP.sub(" ", low).strip().encode("utf-8", "surrogatepass")
    else:
        # only non-word characters outside ASCII: each becomes "?", which the table turns into a space
        data = low.encode("ascii", "replace")
    return b" ".join(data.translate(_KEY_BYTES).split())


def _digest(norm: bytes) -> bytes:
    """The 8-byte hash behind a block key (:func:`block_key` is its hex form, :func:`block_key_int` its integer)."""
    return hashlib.blake2b(norm, digest_size=8).digest()


def block_key(text: str) -> str:
    """A short hash of a block's normalised text (case, punctuation and spacing ignored).

    Two blocks that differ only in case, punctuation or whitespace get the same key, so a
    newsletter prompt repeated under every article of an outlet is recognised as one block.
    """
    return _digest(_normalised(text)).hex()


def block_key_int(text: str) -> int:
    """:func:`block_key` as an integer, ``int(block_key(text), 16)``: what :class:`~framing.blockcounts.BlockCounts`
    stores."""
    return int.from_bytes(_digest(_normalised(text)), "big")


def block_key_ints(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """``{block_key_int(text[s:e]) for s, e in spans}``: the distinct keys of one article's blocks."""
    return {int.from_bytes(d, "big") for d in _block_digests(text, text.lower(), spans)}


def _block_keys(text: str, low: str, spans: Iterable[tuple[int, int]], ascii_words: bool | None = None) -> list[str]:
    """``[block_key(text[s:e]) for s, e in spans]``, with ``low = text.lower()`` (``ascii_words``:
    ``_ascii_words(low)`` when already known)."""
    return [d.hex() for d in _block_digests(text, low, spans, ascii_words)]


def _block_digests(text: str, low: str, spans: Iterable[tuple[int, int]],
                   ascii_words: bool | None = None) -> list[bytes]:
    """``_digest`` of each block's normal form, with ``low = text.lower()``.

    When lower-casing keeps every character one character (so offsets still line up) and leaves
    no letter or digit outside ASCII, the whole article is translated once and each block is a
    slice of the result; otherwise each block is normalised on its own.
    """
    data = _key_bytes(text, low, ascii_words)
    if data is None:
        return [_digest(_normalised(text[s:e])) for s, e in spans]
    sub = _SPACES.sub
    return [_digest(sub(b" ", data[s:e]).strip()) for s, e in spans]


def _key_bytes(text: str, low: str, ascii_words: bool | None = None) -> bytes | None:
    """``low`` (``text.lower()``) as bytes with every byte but a-z and 0-9 a space, one byte per character, when
    a block's normal form is then its slice with runs of spaces made one and stripped (see :func:`_block_digests`);
    None when lower-casing changed the length or left a letter or digit outside ASCII (``ascii_words``:
    ``_ascii_words(low)`` when already known)."""
    if len(low) != len(text):
        return None
    if not (_ascii_words(low) if ascii_words is None else ascii_words):
        return None
    return low.encode("ascii", "replace").translate(_KEY_BYTES)


def _ascii_words(text: str) -> bool:
    """Whether every letter and digit of ``text`` is ASCII, i.e. every character outside ASCII is a non-word
    character (``\\W``) for the Unicode regexes as much as for ``re.ASCII`` ones."""
    if text.isascii():
        return True
    # the characters outside ASCII alone: the UTF-8 bytes without the ASCII ones, decoded
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return not any(ch.isalnum() for ch in rest)


def classify_line(line: str) -> str | None:
    """The boilerplate kind of one whole line by the block/prefix patterns ("Share this", "Read more: ..."), or None.

    Used to give lines outside an HTML page's main text a finer kind than ``markup``.
    """
    rules = _rules(None)
    line = line.strip()
    if rules.block is not None and len(line) <= _BLOCK_MAX_CHARS:
        m = rules.block.fullmatch(line)
        if m:
            return rules.which(m)[1]
    if rules.prefix is not None and len(line) <= _PREFIX_MAX_CHARS:
        m = rules.prefix.match(line)
        if m:
            return rules.which(m)[1]
    return None


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _similar(a: set[str], b: set[str], threshold: float = 0.6) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= threshold


def find_boilerplate(
    doc: Document, options: Options | None = None, repeated: frozenset[str] = frozenset()
) -> list[dict]:
    """Spans of ``doc`` that are boilerplate, as records ``{start, end, kind, rule}``.

    Parameters
    ----------
    doc : Document
        The article; its blocks and sentences give the units that can be marked.
    options : Options, optional
        ``options.lexicons["boilerplate"]`` adds a user TSV of patterns;
        ``options.repetition_min_chars`` bounds the repeated-block rule.
    repeated : frozenset of str
        :func:`block_key` values of blocks repeated across the outlet's articles.

    Returns
    -------
    list of dict
        Non-overlapping records sorted by ``start``; each covers a whole block or a whole sentence.
    """
    options = options or Options()
    extra = options.lexicons.get("boilerplate") if options.lexicons else None
    rules = _rules(str(extra) if extra is not None else None)
    text = doc.text
    blocks = doc.blocks
    if not blocks:
        return []
    n = len(blocks)
    block_mark: list[tuple[str, str] | None] = [None] * n  # (kind, rule) of a whole-block mark
    sent_marks: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)  # block -> sentence marks

    # 1. Whole-block and prefix patterns, tried at each block.
    block_rx, prefix_rx = rules.block, rules.prefix
    for i, (s, e) in enumerate(blocks):
        if block_rx is not None and e - s <= _BLOCK_MAX_CHARS:
            m = block_rx.fullmatch(text, s, e)
            if m:
                rid, kind = rules.which(m)
                block_mark[i] = (kind, rid)
                continue
        if prefix_rx is not None and e - s <= _PREFIX_MAX_CHARS:
            m = prefix_rx.match(text, s, e)
            if m:
                rid, kind = rules.which(m)
                block_mark[i] = (kind, rid)

    # 2. Sentence patterns: anchored ones at each sentence start, the others over the whole text.
    sentences = doc.sentences
    sent_starts = [st for st, _ in sentences]
    block_starts = [bs for bs, _ in blocks]
    hits: dict[int, tuple[str, str]] = {}
    low = _signal_text(doc)
    ascii_words = _ascii_words(doc.lower_text())  # for the trigger scan and the block keys
    news_checked: set[int] = set()  # hits already known to have no news signal
    if rules.anchored is not None:
        for j, (s, e) in enumerate(sentences):
            m = rules.anchored.match(text, s, e)
            if m:
                hits[j] = rules.which(m)
    if rules.sentence is not None:  # user patterns without triggers: tried over the whole text
        for m in rules.sentence.finditer(text):
            j = _index_of(sent_starts, m.start())
            if j < 0 or j in hits or m.end() > sentences[j][1]:
                continue
            hits[j] = rules.which(m)
    if rules.triggered and rules.trigger_rx is not None:
        # Which rules each sentence is a candidate for: one pass of a prefix-tree regex over the text
        # finds every trigger (a match is the longest trigger at a word start; every trigger that is a
        # prefix of it occurs there too). A sentence then takes the first of its rules, in lexicon
        # order, whose pattern it contains: the same outcome as trying each rule over its sentences.
        lower = doc.lower_text()
        candidates: dict[int, set[int]] = {}
        trigger_rules = rules.trigger_rules
        trigger_rx, trigger_after_rx = rules.trigger_rx, rules.trigger_after_rx
        if rules.trigger_rx_ascii is not None and ascii_words:
            trigger_rx, trigger_after_rx = rules.trigger_rx_ascii, rules.trigger_after_rx_ascii
        for start, trigger in _trigger_matches(trigger_rx, trigger_after_rx, lower):
            j = _index_of(sent_starts, start)
            if j < 0 or j in hits:
                continue
            if j in candidates:
                candidates[j].update(trigger_rules[trigger])
            else:
                candidates[j] = set(trigger_rules[trigger])
        triggered = rules.triggered
        for j, rule_ids in candidates.items():
            s, e = sentences[j]
            # A hit in a sentence with a news signal, or in a block already marked whole, is dropped
            # below anyway: no need to try the rules there (most candidate sentences are news).
            if block_mark[_index_of(block_starts, s)] is not None or _has_news_signal(text, low, s, e):
                continue
            for r in sorted(rule_ids):
                _, rx, rid, kind = triggered[r]
                if rx.search(text, s, e):
                    hits[j] = (rid, kind)
                    news_checked.add(j)
                    break
    for j, (rid, kind) in sorted(hits.items()):
        s, e = sentences[j]
        if j not in news_checked and _has_news_signal(text, low, s, e):
            continue
        i = _index_of(block_starts, s)
        if block_mark[i] is None:
            sent_marks[i].append((s, e, kind, rid))
    # A block whose sentences are all marked is a marked block.
    for i, marks in sent_marks.items():
        s, e = blocks[i]
        if _covers_block(marks, text, s, e):
            block_mark[i] = (marks[0][2], marks[0][3])
    for i in [i for i in sent_marks if block_mark[i] is not None]:
        del sent_marks[i]

    # 3. Context rules.
    _extend_reader_runs(doc, rules, block_mark, sent_marks, low)
    _extend_promos(doc, block_mark)
    _fill_sandwiches(doc, block_mark, low)

    # 4. Blocks repeated across the outlet's articles.
    if repeated:
        min_chars = options.repetition_min_chars
        todo = [i for i, (s, e) in enumerate(blocks) if block_mark[i] is None and e - s >= min_chars]
        for i, key in zip(todo, _block_keys(text, doc.lower_text(), [blocks[i] for i in todo], ascii_words)):
            if key in repeated:
                block_mark[i] = ("repeated", "repeated_across_outlet")

    records = []
    for i, (s, e) in enumerate(blocks):
        mark = block_mark[i]
        if mark is not None:
            kind, rid = mark
            records.append({"start": s, "end": e, "kind": kind, "rule": rid})
        else:
            for ms, me, kind, rid in sent_marks.get(i, ()):
                records.append({"start": ms, "end": me, "kind": kind, "rule": rid})
    return records


def _trigger_matches(trigger_rx: re.Pattern, trigger_after_rx: re.Pattern | None,
                     lower: str) -> Iterator[tuple[int, str]]:
    """(start, trigger) of every match of ``trigger_rx`` in ``lower``, in order (see ``_Rules.trigger_after_rx``)."""
    if trigger_after_rx is None:
        for m in trigger_rx.finditer(lower):
            yield m.start(), m.group()
        return
    pos = 0
    first = trigger_rx.match(lower)
    if first:
        yield 0, first.group()
        pos = first.end()
    for m in trigger_after_rx.finditer(lower, pos):
        yield m.start(1), m.group(1)


def _index_of(starts: list[int], pos: int) -> int:
    """Index of the unit whose start is the last one <= pos (-1 when none)."""
    return bisect_right(starts, pos) - 1


def _covers_block(marks: list[tuple[int, int, str, str]], text: str, s: int, e: int) -> bool:
    """True when the marked sentences leave nothing but whitespace of the block unmarked."""
    cur = s
    for ms, me, _, _ in marks:
        if text[cur:ms].strip():
            return False
        cur = me
    return not text[cur:e].strip()


def _unmarked(marks, s: int, e: int) -> list[tuple[int, int]]:
    """The parts of block ``[s, e)`` outside the sentence marks ``marks``."""
    out, cur = [], s
    for ms, me, _, _ in marks:
        if ms > cur:
            out.append((cur, ms))
        cur = max(cur, me)
    if cur < e:
        out.append((cur, e))
    return out


def _appeal_like(text: str, s: int, e: int, rules: _Rules, outlet: str | None, low: str | None) -> bool:
    """A block in the outlet's voice that addresses the reader about its journalism."""
    if rules.reader is None or _has_news_signal(text, low, s, e):
        return False
    reader = len(rules.reader.findall(text, s, e))
    if reader == 0:
        return False
    journalism = len(rules.journalism.findall(text, s, e)) if rules.journalism is not None else 0
    if outlet:
        journalism += text.count(outlet, s, e)
    if journalism == 0:
        return False
    words = max(1, len(_WORD.findall(text, s, e)))
    return (reader + journalism) / words >= 0.06 and reader + journalism >= 2


def _extend_reader_runs(doc: Document, rules: _Rules, block_mark: list, sent_marks: dict, low: str | None) -> None:
    """Absorb reader-addressing blocks next to appeal blocks into the appeal (both directions).

    ``low`` is ``_signal_text(doc)``."""
    text, blocks = doc.text, doc.blocks
    n = len(blocks)
    seeds = []
    for i in range(n):
        if block_mark[i] is not None and block_mark[i][0] in _APPEAL_KINDS:
            seeds.append((i, block_mark[i][0], True, True))
        elif sent_marks.get(i):
            marks = sent_marks[i]
            first = marks[0]
            last = marks[-1]
            kind = first[2]
            if kind in _APPEAL_KINDS:
                # Extend backwards only when the block starts with the appeal, forwards when it ends with it.
                seeds.append((i, kind, first[0] == blocks[i][0], last[1] == blocks[i][1]))
    for i, kind, back, fwd in seeds:
        for step, allowed in ((-1, back), (1, fwd)):
            if not allowed:
                continue
            j = i + step
            taken = 0
            while 0 <= j < n and taken < _RUN_MAX_BLOCKS and block_mark[j] is None:
                s, e = blocks[j]
                if any(k not in _APPEAL_KINDS for _, _, k, _ in sent_marks.get(j, ())):
                    break
                # Judge only what is not marked yet: a block whose appeal sentence is glued to news
                # ("...all the difference.North Korea has vowed...") keeps its news sentence.
                rest = _unmarked(sent_marks.get(j, ()), s, e)
                if not all(_appeal_like(text, rs, re_, rules, doc.outlet, low)
                           for rs, re_ in rest if text[rs:re_].strip()):
                    break
                block_mark[j] = (kind, "reader_address_run")
                sent_marks.pop(j, None)
                taken += 1
                j += step


_RE_LABEL_MARK = re.compile(r"[:|–—]")  # ends a promo label ("Read more: ...")


def _extend_promos(doc: Document, block_mark: list) -> None:
    """Pull the promoted piece's standfirst and repeated title into a cross-promotion or related link."""
    text, blocks = doc.text, doc.blocks
    n = len(blocks)
    i = 0
    while i < n:
        mark = block_mark[i]
        if mark is None or mark[0] not in _PROMO_KINDS or mark[1] == "promo_teaser":
            i += 1
            continue
        s, e = blocks[i]
        head = text[s:e]
        colon = _RE_LABEL_MARK.search(head)
        run = [_words(head), _words(head[colon.end():]) if colon else set()]
        j = i + 1
        while j < n and j <= i + 4 and block_mark[j] is None:
            s2, e2 = blocks[j]
            if e2 - s2 > _TEASER_MAX_CHARS:
                break
            w = _words(text[s2:e2])
            nxt = _words(text[blocks[j + 1][0] : blocks[j + 1][1]]) if j + 1 < n else set()
            repeats = any(_similar(w, r) for r in run if r)
            leads_to_repeat = j + 1 < n and any(_similar(nxt, r) for r in run if r)
            # An opinion teaser's standfirst ends "..., writes columnist Jane Doe:" before the link.
            teaser_intro = text[e2 - 1] == ":" and _WRITES.search(text, s2, e2) is not None
            if repeats or leads_to_repeat or teaser_intro:
                block_mark[j] = (mark[0], "promo_teaser")
                run.append(w)
                j += 1
            else:
                break
        i = j


def _fill_sandwiches(doc: Document, block_mark: list, low: str | None) -> None:
    """A short block between two blocks of the same widget kind takes that kind (``low``: ``_signal_text(doc)``)."""
    text, blocks = doc.text, doc.blocks
    for i in range(1, len(blocks) - 1):
        if block_mark[i] is not None:
            continue
        before, after = block_mark[i - 1], block_mark[i + 1]
        if before is None or after is None or before[0] != after[0] or before[0] not in _WIDGET_KINDS:
            continue
        s, e = blocks[i]
        if e - s > _SANDWICH_MAX_CHARS or _has_news_signal(text, low, s, e):
            continue
        # A widget line is a label (no sentence end) or speaks to the reader; a news sentence
        # between two ad slots ("Advertisement") is neither.
        if _SENTENCE_END.search(text, s, e) and not _READER_WORD.search(text, s, e):
            continue
        block_mark[i] = (before[0], "widget_sandwich")
