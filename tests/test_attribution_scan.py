"""The attribution extractor's hand-written scans give what the regexes they replace give.

The word scan (:func:`_word_probes`), the clause boundaries of a whole text (:func:`_clause_bounds`)
and the walks back over the last words (:func:`_pre_aux`, :func:`_last_word`) replace regexes that
were slow (tried at every position); their results must stay the same, on strings built to hit the
edge cases (glued words, apostrophes, hyphens, multi-word cues, quotation marks, window cuts).
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left, bisect_right

from framing.extractors import attribution as A
from framing.extractors.attribution_model import load_model

SEPARATORS = ["", " ", " ", "\n", "-", "’", "'", ",", "  "]
PIECES = ["-", "’", "'", "''", "``", "_", "x", "2", "é", "İ", ",", ".", "“", "”", "‘", "(", "—", "\t", "\u00a0"]


def texts(words: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    pieces = words + PIECES
    return ["".join(rnd.choice(pieces) + rnd.choice(SEPARATORS) for _ in range(rnd.randint(1, 12))) for _ in range(n)]


def lowered(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def test_word_scan_finds_what_the_trie_regexes_find():
    res = A._resources()
    cues, forms = res[0], res[4]
    model = load_model()
    assert model is not None
    cue_re = re.compile(rf"\b(?:{A._trie_pattern(cues)})(?![\w’'\-])")
    model_re = re.compile(rf"(?<![\w’'\-])(?:{A._trie_pattern(sorted(model.vocab))})(?![\w’'\-])")
    table = A._scan_table(A._options_key(None), model)
    rnd = random.Random(0)
    words = [*cues, *rnd.sample(sorted(model.vocab), 200), "Said", "SAID", "o’", "un", "declined to", "went on to"]
    for text in texts(words, 3000, 1):
        low = lowered(text)
        probes = A._word_probes(low, table)
        expect = [(m.start(), m.end()) for m in cue_re.finditer(low) if not A._glued(text, m.start())]
        assert A._cue_spans(text, low, probes, forms) == expect, text
        assert A._model_spans(probes) == [(m.start(), m.end(), None) for m in model_re.finditer(low)], text


def test_clause_bounds_are_the_boundary_regex_matches():
    table = A._scan_table(A._options_key(None), None)
    rnd = random.Random(2)
    words = [*A._BOUNDARY_WORDS, "sorry", "whomever", "said", "s", "om"]
    for text in texts(words, 3000, 3):
        low = lowered(text)
        starts, ends, strs = A._clause_bounds(low, A._word_probes(low, table))
        assert list(zip(starts, ends, strs)) == [(m.start(), m.end(), m.group(0)) for m in A._BOUNDARY.finditer(low)]
        for _ in range(10):
            lo = rnd.randint(0, len(low))
            hi = rnd.randint(lo, len(low))
            if A._window_exact(low, lo, hi):
                got = [(starts[k], ends[k]) for k in range(bisect_left(starts, lo), bisect_right(ends, hi))]
                assert got == [m.span() for m in A._BOUNDARY.finditer(low, lo, hi)], (text, lo, hi)


def test_walks_back_find_what_the_end_anchored_regexes_find():
    pre_aux = re.compile(
        r"(?:(?<![\w’'])(?:"
        + "|".join(sorted((re.escape(w) for w in A._AUX_WORDS), key=len, reverse=True))
        + r"|[a-z]+ly)\s+)+$"
    )
    chain_word = re.compile(r"([a-z][\w\-]*)\s+$")
    chain_prev = re.compile(r"([\w’'.\-]+)\s+$")
    words = [*sorted(A._AUX_WORDS)[:40], "quickly", "Only", "ly", "ably", "Abc", "a-b", "x_y", "Said"]
    rnd = random.Random(4)
    for text in texts(words, 3000, 5):
        m = pre_aux.search(text)
        assert A._pre_aux(text) == (m.start() if m else -1), text
        hi = rnd.randint(0, len(text))
        lo = max(0, hi - rnd.choice((5, 30, 40)))
        for pattern, chars, lower_first in ((chain_word, "_-", True), (chain_prev, "_’'.-", False)):
            m = pattern.search(text, lo, hi)
            assert A._last_word(text, lo, hi, chars, lower_first) == (m.span(1) if m else (-1, -1)), text


def test_possessor_prefilter_keeps_every_match():
    words = ["his", "her", "their", "its", "His", "Her", "Their", "Its", "Trump", "Mr.", "the", "comments", "s", "heir"]
    rnd = random.Random(6)
    for text in texts(words, 3000, 7):
        hi = rnd.randint(0, len(text))
        lo = max(0, hi - rnd.choice((10, 40, 80)))
        if A._POSSESSOR.search(text, lo, hi) is not None:
            assert A._may_possess(text, lo, hi), text
