"""Faster scans in segmentation and boilerplate give what the plain regexes they replace give.

Blocks are found with ``str.split``/``str.strip`` instead of the ``_BLOCK`` regex, sentence ends with
``str.find`` instead of the ``_END`` regex; the news signal is tried only where ``str.find`` sees one of its
pieces; the boilerplate trigger scan uses ASCII-only ``\\W``/``\\b`` on texts whose letters and digits are all
ASCII. Each is checked against its definition on strings built to hit the edge cases (every kind of
whitespace and line end, case-changing letters, quotes, non-ASCII letters and digits next to triggers).
"""

from __future__ import annotations

import random
import re

from framing.document import _BLOCK, _END, Document, _end_spans, split_blocks
from framing.extractors import boilerplate as B

SPACES = [" ", " ", "  ", "\n", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028",
          "\u3000", "\n\n", " \n "]
PIECES = ["said", "Said", "SAYS", "told", "according to", "According  to", "reported", "reportedly", "announced",
          "unsaid", "said_", "saidé", "“", "”", '"', "„", "«", "»", "'", "ſaid", "İ", "ı", "K", "é", "ß", "²", "٣",
          "_", ".", "!", "?", "…", "...", ")", "]", "’", "Mr.", "U.S.", "you", "your comments", "join our", "news",
          "newsletter", "support", "subscribe and", "by signing", "in to", "get", "x", "A", "3"]


def texts(n: int, seed: int, pieces: list[str] = PIECES) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(0, 14)):
            parts.append(rnd.choice(pieces))
            parts.append(rnd.choice(SPACES + ["", "", "-", ","]))
        out.append("".join(parts))
    return out


def test_split_blocks_equals_the_block_regex():
    for text in texts(4000, 1) + ["", " ", "\r", "\n\n", "a", " a ", "a\rb", "\x1ca\x1c", "\x85a\u2028b"]:
        assert split_blocks(text) == [m.span() for m in _BLOCK.finditer(text)], repr(text)


def test_end_spans_equal_the_sentence_end_regex():
    for text in texts(4000, 2) + ["", ".", "a.", "?!…", ".”)", "x…’ y?!' z)."]:
        assert _end_spans(text, 0, len(text)) == [m.span() for m in _END.finditer(text)], repr(text)
        for s in range(0, len(text), 3):
            e = len(text) - s // 2
            assert _end_spans(text, s, e) == [m.span() for m in _END.finditer(text, s, e)], (text, s, e)


def test_news_signal_equals_the_regex_search():
    for text in texts(3000, 3):
        doc = Document.from_text("t", text)
        low = B._signal_text(doc)
        spans = list(doc.sentences) + list(doc.blocks) + [(0, len(text))]
        spans += [(s, e) for s in range(0, len(text), 5) for e in range(s, len(text) + 1, 7)]
        for s, e in spans:
            want = B._NEWS_SIGNAL.search(text, s, e) is not None
            assert B._has_news_signal(text, low, s, e) == want, (text, s, e)
            assert B._has_news_signal(text, None, s, e) == want


def test_ascii_words_means_ascii_and_unicode_word_classes_agree():
    for text in texts(3000, 4) + ["", "é", "_", "\u00b2", "a\xa0b", "İ".lower()]:
        want = all(ch.isascii() or not (ch.isalnum() or ch == "_") for ch in text)
        assert B._ascii_words(text) == want, repr(text)
        if want:
            assert re.findall(r"\W", text, re.ASCII) == re.findall(r"\W", text)
            ascii_bounds = [m.span() for m in re.finditer(r"\b", text, re.ASCII)]
            assert ascii_bounds == [m.span() for m in re.finditer(r"\b", text)]


def test_ascii_trigger_scan_equals_the_unicode_one():
    rules = B._rules(None)
    assert rules.trigger_rx_ascii is not None and rules.trigger_after_rx_ascii is not None
    trigger_words = rules.trigger_words + [w.upper() for w in rules.trigger_words[:10]]
    for text in texts(3000, 5, PIECES + trigger_words) + ["you", " you", "éyou", "_you", "²you", "you’re"]:
        low = text.lower()
        want = list(B._trigger_matches(rules.trigger_rx, rules.trigger_after_rx, low))
        if B._ascii_words(low):
            got = list(B._trigger_matches(rules.trigger_rx_ascii, rules.trigger_after_rx_ascii, low))
            assert got == want, repr(text)


def test_find_boilerplate_is_the_same_without_the_ascii_scan(monkeypatch):
    rules = B._rules(None)
    words = [w.capitalize() for w in rules.trigger_words] + ["Please support our journalism.", "Subscribe now.",
                                                             "He said: “Support our journalism.”", "Comments"]
    docs = [Document.from_text("t", t) for t in texts(1500, 6, PIECES + words)]
    fast = [B.find_boilerplate(d) for d in docs]
    monkeypatch.setattr(rules, "trigger_rx_ascii", None)
    assert [B.find_boilerplate(d) for d in docs] == fast
    assert any(fast)
