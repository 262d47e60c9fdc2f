"""Hedge matchers run case-sensitively on the lower-cased text: same matches as IGNORECASE on the text.

``extract_hedges`` tries each trigger's matcher on ``doc.lower_text()`` without IGNORECASE when
every entry of the matcher can be lower-cased (``_lowered``) and the text has none of the
case-folding exceptions in ``_FOLD_SPECIAL``. These tests prove the character-level claim on
every code point, and compare the two paths on edge cases and random text.
"""

from __future__ import annotations

import random
import re
import string
import sys

import pytest

from framing.document import Document
from framing.extractors import hedging
from framing.extractors.hedging import VAGUE_QUANTIFIERS_TSV, _compile, _emit, _lowered, extract_hedges
from framing.options import Options

SPECIAL = "\u0130\u0131\u017f\u212a"  # İ ı ſ K (Kelvin)


def _lexicon_chars() -> set[str]:
    chars: set[str] = set()
    for extra in (None, VAGUE_QUANTIFIERS_TSV):
        for e in _compile(extra).entries:
            chars |= set(e.pattern)
    return chars


def test_fold_special_is_the_exact_list() -> None:
    assert set(hedging._FOLD_SPECIAL) == set(SPECIAL)


def test_every_code_point_matches_alike_lowered() -> None:
    """For each atom a pattern may use: IGNORECASE on c  <=>  the lower-cased atom on c.lower()."""
    cps = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp < 0xE000]
    keep = [c for c in cps if len(c.lower()) == 1 and c not in SPECIAL]
    text = "".join(keep)
    low = "".join(c.lower() for c in keep)
    assert len(low) == len(text)
    lit = {ch for ch in string.printable if ch not in "\x0b\x0c"} | {c for c in _lexicon_chars() if not c.isascii()}
    atoms = [(re.escape(ch), re.escape(ch.lower())) for ch in sorted(lit)]
    atoms += [(a, a) for a in (r"\w", r"\s", r"\d", r"[^\w]", r"\W", r"\S", r"\D")]
    atoms += [("[A-Z]", "[a-z]"), ("[a-z]", "[a-z]"), (r"[\w'’.-]", r"[\w'’.-]"), ("[!-~]", "[!-~]")]
    for a, b in atoms:
        got_i = [m.start() for m in re.finditer(a, text, re.IGNORECASE)]
        got_low = [m.start() for m in re.finditer(b, low)]
        assert got_i == got_low, a
    # str.lower() of a final capital sigma is "ς" (not "σ"): it behaves like "σ" for every atom.
    for a, b in atoms:
        assert bool(re.fullmatch(b, "ς")) == bool(re.fullmatch(b, "σ")), a
    # A non-ASCII character without case is never the lower case of another character.
    assert not [c for c in keep if c.lower() != c and not c.lower().isascii() and c.lower() == c.lower().upper()]


def test_special_characters_really_differ() -> None:
    # Why they are excluded: each matches an ASCII letter only case-insensitively (or changes length).
    assert re.fullmatch("i", "\u0131", re.IGNORECASE) and not re.fullmatch("i", "\u0131".lower())
    assert re.fullmatch("s", "\u017f", re.IGNORECASE) and not re.fullmatch("s", "\u017f".lower())
    assert len("\u0130".lower()) == 2


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?-i:may)",
        r"(?-i:[A-Z])\w+",
        r"\Sfoo",
        r"\Bx",
        r"[A-z]",
        r"[0-Z]x",
        "café",
        "Éclat",
        r"\x41b",
        r"(a)\1",
        r"\N{LATIN SMALL LETTER A}",
    ],
)
def test_unsafe_patterns_are_not_lowered(pattern: str) -> None:
    assert _lowered(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<=\bI )think", r"(?<=\bi )think"),
        (r"so[-\s]called", r"so[-\s]called"),
        (r"(?-i:[A-Z])x", None),
        (r"[A-Z]\w+", r"[a-z]\w+"),
        (r"(?<=['’]s )claims?", r"(?<=['’]s )claims?"),
        (r"it\'s", r"it\'s"),
    ],
)
def test_lowered_examples(pattern: str, expected: str | None) -> None:
    assert _lowered(pattern) == expected


def test_builtin_entries_mostly_lowered() -> None:
    comp = _compile(None)
    unlowered = {e.rule for e in comp.entries if e.lowered is None}
    assert unlowered == {"hedges/what_x_called", "hedges/may"}


def _reference(doc: Document, opts: Options) -> list[dict]:
    """The trigger scan with every matcher run case-insensitively on the text (the former path)."""
    comp = _compile(hedging._extra_path(opts))
    text, low = doc.text, doc.lower_text()
    out: list[dict] = []
    spans = doc.body_sentences() if opts.body_only else doc.sentences
    if len(low) != len(text):
        for s, e in spans:
            for m in comp.full.regex().finditer(text, s, e):
                _emit(m, comp.full, text, out)
        return out
    for s, e in spans:
        nxt = s
        hits = []
        first = comp.start_trigger.match(low, s, e)
        if first is not None:
            hits.append(first)
        hits.extend(comp.trigger.finditer(low, s, e))
        for t in hits:
            pos = t.start(1)
            if pos < nxt:
                continue
            matcher = comp.matcher_for(t.group(1))
            hit = matcher.regex().match(text, pos, e)
            if hit is not None and hit.end() > pos:
                _emit(hit, matcher, text, out)
                nxt = hit.end()
    return out


EDGE = [
    "It is said that the so-called reform may be delayed.",
    "IT IS SAID THAT THE SO-CALLED REFORM MAY BE DELAYED. May be. MAY BE.",
    "It \u0131s said that \u017fome critics \u017fay it might be \u212aept.",  # ı ſ K: IGNORECASE path
    "\u0130t is said that critics say. \u0130STANBUL",  # İ: length changes, full scan
    "The \u212aremlin is believed to have claimed it. \u212a \u212aelvin",
    "\u03a3\u0391\u03a3 is said to be \u03a3\u0391\u03a3. What Mr. Smith Called a fraud.",
    "I think we believe it could well be. Many people familiar with the matter, critics argue.",
    "Her claims of fraud were unverified; officials could not be reached. Legend has it so.",
    "What she described as a sham, what The White House called a lie, it\u2019s possible that.",
    "Caf\u00e9 owners\u2019 claims, na\u00efve, \u00c9lys\u00e9e said it was reportedly ALLEGED to be.",
]


@pytest.mark.parametrize("text", EDGE)
@pytest.mark.parametrize("vague", [False, True])
def test_edge_cases_match_reference(text: str, vague: bool) -> None:
    opts = Options(body_only=False, lexicons={"hedges": VAGUE_QUANTIFIERS_TSV} if vague else {})
    doc = Document.from_text("x", text)
    assert extract_hedges(doc, opts) == _reference(doc, opts)


def _words() -> list[str]:
    words: set[str] = set()
    for e in _compile(VAGUE_QUANTIFIERS_TSV).entries:
        words |= set(re.findall(r"[a-z]+", e.pattern.lower()))
    return sorted(words)


def _random_text(rng: random.Random, words: list[str]) -> str:
    seps = [" ", " ", " ", "  ", "\n", ", ", ". ", "-", "\u2019s ", "'s ", "\u00a0", ": ", "? "]
    odd = ["\u0131", "\u017f", "\u212a", "\u03a3", "\u00c9", "\u00e9", "K", "I", "\u2019", "3", "_"]
    out = []
    for _ in range(rng.randint(1, 60)):
        w = rng.choice(words)
        r = rng.random()
        if r < 0.2:
            w = w.upper()
        elif r < 0.4:
            w = w.capitalize()
        elif r < 0.45:
            w = "".join(ch.upper() if rng.random() < 0.5 else ch for ch in w)
        if rng.random() < 0.03:
            i = rng.randrange(len(w) + 1)
            w = w[:i] + rng.choice(odd) + w[i:]
        out.append(w + rng.choice(seps))
    return "".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_random_texts_match_reference(seed: int) -> None:
    rng = random.Random(seed)
    words = _words()
    for vague in (False, True):
        opts = Options(body_only=False, lexicons={"hedges": VAGUE_QUANTIFIERS_TSV} if vague else {})
        for _ in range(150):
            doc = Document.from_text("x", _random_text(rng, words))
            assert extract_hedges(doc, opts) == _reference(doc, opts), doc.text


@pytest.mark.parametrize("seed", range(4))
def test_each_matcher_alike_on_lowered_text(seed: int) -> None:
    """Every lowered matcher gives the same match (all group spans) as the IGNORECASE one, at every word."""
    rng = random.Random(100 + seed)
    words = _words()
    comp = _compile(VAGUE_QUANTIFIERS_TSV)
    keys = sorted(words)
    for _ in range(60):
        text = _random_text(rng, words)
        if any(ch in text for ch in SPECIAL):
            continue
        low = text.lower()
        starts = [m.start() for m in re.finditer(r"\b\w", text)]
        for key in rng.sample(keys, 25):
            m = comp.matcher_for(key)
            if m.low_regex is None:
                continue
            for p in starts:
                a = m.regex().match(text, p)
                b = m.low_regex.match(low, p)
                assert (a is None) == (b is None), (key, text, p)
                if a is not None and b is not None:
                    assert a.lastindex == b.lastindex
                    assert a.re.groups == b.re.groups
                    assert [a.span(g) for g in range(a.re.groups + 1)] == [b.span(g) for g in range(b.re.groups + 1)]
