"""Hedging and distancing cues: where a text signals doubt or keeps its distance from a claim.

A hedge ("may", "is believed to", "could not be independently verified") lowers the
writer's commitment; a distancing cue ("claimed", "so-called", "what she described as")
attributes a statement while signalling that the outlet does not vouch for it; an unnamed
attribution ("critics argue", "some say") is a weasel that hides who holds a view.
Counting them per article is a standard framing measure.

All cues are data: ``framing/lexicons/hedges.tsv`` (columns ``name, pattern, category,
kind, weight, source``). The entries are compiled once into a single alternation, so one
regex pass per sentence finds every cue; the first entry that matches at a position wins,
so longer phrases are listed before the words they contain. A regex entry with a capturing
group reports that group as the cue and uses the rest as context (e.g. the determiner that
makes "her claims" a noun).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

from framing import lexicons as _lexicons_pkg
from framing.document import Document
from framing.errors import FramingError
from framing.lexicons import load_lexicon
from framing.options import Options

__all__ = ["extract_hedges", "hedge_weights", "HEDGE_CATEGORIES", "VAGUE_QUANTIFIERS_TSV"]

HEDGE_CATEGORIES = frozenset(
    {
        "distancing_verb",
        "distancing_noun",
        "distancing_adj",
        "distancing_adverb",
        "distancing_frame",
        "uncertainty",
        "non_confirmation",
        "unverified",
        "unnamed_attribution",
    }
)
_KINDS = frozenset({"literal", "regex"})

#: Opt-in supplement: bare vague quantifiers ("some", "many", "several") as weasel cues, for
#: encyclopedic text (CoNLL-2010 Wikipedia weasels). Off by default: in news they are mostly
#: plain quantities. Use ``Options(lexicons={"hedges": VAGUE_QUANTIFIERS_TSV})``.
# (from the lexicons package's own path: a compiled build of this module has no usable ``__file__``)
VAGUE_QUANTIFIERS_TSV = str(Path(_lexicons_pkg.__file__).resolve().parent / "hedges_vague.tsv")


@dataclass(frozen=True)
class _Entry:
    rule: str
    category: str
    weight: float
    pattern: str  # regex source, wrapped in one capturing group when combined
    inner_groups: int  # capturing groups inside the entry; the first one is the cue span
    prefixes: frozenset[str] | None  # lower-case literal prefixes, None when unanchored
    lowered: str | None  # the same pattern for lower-cased text without IGNORECASE (see _lowered)


class _Matcher:
    """A combined alternation of some entries, with the map from group number to entry."""

    def __init__(self, entries: tuple[_Entry, ...]):
        self.by_group: dict[int, tuple[_Entry, int | None]] = {}
        group = 1
        for entry in entries:
            self.by_group[group] = (entry, group + 1 if entry.inner_groups else None)
            group += 1 + entry.inner_groups
        self.source = _alternation([e.pattern for e in entries])
        self._regex: re.Pattern | None = None
        # The same alternation of the entries' lowered patterns, for the lower-cased text,
        # case-sensitive: literal characters are then compared directly and the engine skips
        # non-matching branches on their first character, which IGNORECASE prevents. None when
        # some entry cannot be lowered.
        self.low_regex: re.Pattern | None = None
        lowered = [e.lowered for e in entries]
        if entries and all(p is not None for p in lowered):
            self.low_regex = re.compile(_alternation([p for p in lowered if p is not None]))

    def regex(self) -> re.Pattern:
        """The alternation with IGNORECASE, for the text itself (compiled on first use: most
        texts only need ``low_regex``)."""
        r = self._regex
        if r is None:
            r = self._regex = re.compile(self.source, re.IGNORECASE)
        return r


def _alternation(patterns: list[str]) -> str:
    """The entries' patterns as one regex: a group per entry, each ending at a word end, and one
    word-start check for the whole alternation, not one per entry."""
    return r"(?<!\w)(?:" + "|".join(rf"((?:{p})(?!\w))" for p in patterns) + ")"


@dataclass
class _Compiled:
    entries: tuple[_Entry, ...]
    full: _Matcher  # every entry: used when some entry has no literal prefix
    trigger: re.Pattern | None  # finds word starts that begin with a known prefix (lower-cased text)
    start_trigger: re.Pattern | None  # the same, for a word at position 0
    weights: dict[str, float]
    dispatch: dict[str, _Matcher]  # trigger text -> matcher of the entries it can start (lazy)

    def matcher_for(self, key: str) -> _Matcher:
        m = self.dispatch.get(key)
        if m is None:
            chosen = tuple(
                e for e in self.entries if e.prefixes and any(key.startswith(p.rstrip("*")) for p in e.prefixes)
            )
            m = self.dispatch[key] = _Matcher(chosen)
        return m


try:  # Python >= 3.11
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_MAX_PREFIXES = 64


def _starts_wordchar(item) -> bool:
    """Whether a parsed regex element can begin with a letter or digit (conservatively True)."""
    op, av = item
    name = str(op)
    if name == "IN":
        return any(str(o) != "CATEGORY" or str(a) != "CATEGORY_SPACE" for o, a in av if str(o) != "NEGATE") and not all(
            str(o) == "LITERAL" and not chr(a).isalnum() for o, a in av
        )
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[2]:
        return _starts_wordchar(av[2][0])
    if name == "LITERAL":
        return chr(av).isalnum()
    return True


def _literal_prefixes(items) -> tuple[set[str], bool]:
    """Literal strings every match of a parsed regex sequence starts with.

    Returns ``(prefixes, complete)``; ``complete`` is true when the whole sequence was literal
    (so the caller may go on concatenating). Zero-width assertions are skipped. A prefix that
    may be followed by more letters (a stem, as in ``alleg(?:e|ed)``) ends with ``*``; a prefix
    set containing ``""`` or ``"*"`` means the entry can start anywhere.
    """
    cur = {""}
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            cur = {c + chr(av).lower() for c in cur}
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue
        elif name == "SUBPATTERN":
            sub, complete = _literal_prefixes(av[-1])
            cur = {c + x for c in cur for x in sub}
            if not complete:
                return cur, False
        elif name == "BRANCH":
            subs = [_literal_prefixes(alt) for alt in av[1]]
            if all(done for _, done in subs):
                cur = {c + x for c in cur for x in set().union(*(x for x, _ in subs))}
            else:
                # The rest of the sequence follows some branches: mark complete ones as stems.
                union = set().union(*(x if not done else {y + "*" for y in x} for x, done in subs))
                return {c + x for c in cur for x in union}, False
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] == 0 and av[1] == 1:
            sub, complete = _literal_prefixes(av[2])
            if not complete:
                return {c + "*" for c in cur} | {c + x for c in cur for x in sub}, False
            cur = cur | {c + x for c in cur for x in sub}
        else:
            mark = "*" if _starts_wordchar((op, av)) else ""
            return {c + mark for c in cur}, False
        if len(cur) > _MAX_PREFIXES:
            return {c + "*" for c in cur}, False
    return cur, True


def _prefixes_of(pattern: str) -> set[str] | None:
    """Literal prefixes of ``pattern`` (stems end with ``*``), or None when it is unanchored."""
    try:
        found, _ = _literal_prefixes(_sre_parse.parse(pattern, re.IGNORECASE).data)
    except Exception:  # noqa: BLE001 - any parser surprise: treat as unanchored
        return None
    if not found or any(not p.rstrip("*") or not p[0].isalnum() for p in found):
        return None
    return found


# Characters for which matching the lower-cased text without IGNORECASE differs from matching
# the text with it: "ı" and "ſ" match "i" and "s" case-insensitively but lower-case to
# themselves; "İ" lower-cases to two characters (also caught by the length check); the Kelvin
# sign "K" is provably safe (it lower-cases to "k") but kept out too. Found by comparing every
# code point (tests/test_hedging_lowered.py); a text containing one takes the IGNORECASE path.
_FOLD_SPECIAL = ("\u0130", "\u0131", "\u017f", "\u212a")
# Escapes that mean the same after lower-casing the pattern: \s \w \d \b and escaped punctuation.
_SAFE_ESCAPE = re.compile(r"\\(?:[swdb]|[^0-9A-Za-z])")
_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z-]")
# A class range with an upper-case end is only kept as A-Z style (both ends upper-case letters):
# lower-casing "[A-z]" or "[0-Z]" would change the set.
_UPPER_RANGE = re.compile(r"[A-Z]-[A-Z]")
_UPPER_DASH = re.compile(r"[A-Z]-|-[A-Z]")


def _lowered(pattern: str) -> str | None:
    r"""``pattern`` lower-cased, for use without IGNORECASE on lower-cased text; None when unsafe.

    Safe when the pattern has no inline flags (e.g. ``(?-i:May)``), no escapes other than
    ``\s \w \d \b`` and escaped punctuation (``\S`` would become ``\s``), no range with one
    upper-case end, and no non-ASCII character that has case. Then each literal or class
    matches a character of the text with IGNORECASE exactly when its lower-cased form matches
    that character's lower-case form, except for the characters in ``_FOLD_SPECIAL``.
    """
    if _INLINE_FLAGS.search(pattern) or "\\" in _SAFE_ESCAPE.sub("", pattern):
        return None
    if _UPPER_DASH.search(_UPPER_RANGE.sub("", pattern)):
        return None
    if any(not ch.isascii() and not (ch.lower() == ch == ch.upper()) for ch in pattern):
        return None
    return pattern.lower()


def _trie(words: set[str]) -> str:
    """A regex for ``words`` (lower-case), factored as a trie, longest match first.

    A word ending in ``*`` is a stem (more letters may follow); any other must end at a
    word boundary, so "is" does not fire on "island".
    """
    root: dict = {}
    for w in words:
        stem = w.endswith("*")
        node = root
        for ch in w.rstrip("*"):
            node = node.setdefault(ch, {})
        node["*" if stem else ""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch not in ("", "*")]
        if "*" in node:
            alts.append("")
        elif "" in node:
            alts.append(r"(?!\w)")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


# A word starts after a non-word character. The trigger regex begins with this class, so the
# regex engine skips over word characters in C instead of trying the trie at every letter.
_WORD_OPENERS = r"[^\w]"


def _entry_pattern(row: dict[str, str], origin: str) -> str:
    """The regex source of one lexicon row, checked to compile on its own."""
    kind = row.get("kind", "")
    pattern = row.get("pattern", "")
    name = row.get("name")
    if kind not in _KINDS:
        raise FramingError(
            "E120", f"hedge lexicon {origin}: entry {name!r} has kind {kind!r}, expected literal or regex"
        )
    if row.get("category") not in HEDGE_CATEGORIES:
        raise FramingError(
            "E120",
            f"hedge lexicon {origin}: entry {name!r} has category {row.get('category')!r}; "
            f"expected one of {', '.join(sorted(HEDGE_CATEGORIES))}",
        )
    if not pattern:
        raise FramingError("E120", f"hedge lexicon {origin}: entry {name!r} has an empty pattern")
    if kind == "literal":
        pattern = r"\s+".join(re.escape(w) for w in pattern.split())
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise FramingError("E120", f"hedge lexicon {origin}: entry {name!r} is not a valid regex: {exc}") from exc
    if compiled.groupindex:
        raise FramingError("E120", f"hedge lexicon {origin}: entry {name!r} uses named groups; use (...) or (?:...)")
    if compiled.match(""):
        raise FramingError("E120", f"hedge lexicon {origin}: entry {name!r} matches the empty string")
    return pattern


@lru_cache(maxsize=16)
def _compile(extra: str | None) -> _Compiled:
    """Compile the built-in hedge lexicon (plus a user TSV) for fast scanning.

    Entries whose matches start with known literal words (all built-in ones) are only tried
    where a trigger regex (a trie of those words, run on the lower-cased text) fires, and then
    only the entries that can start with the word found. An entry without a literal prefix
    makes the extractor fall back to scanning every sentence with the full alternation.
    """
    rows = load_lexicon("hedges", extra)
    origin = "hedges" if extra is None else f"hedges (+ {extra})"
    entries = []
    weights: dict[str, float] = {}
    for row in rows:
        pattern = _entry_pattern(row, origin)
        try:
            weight = float(row.get("weight", "1") or 1)
        except ValueError:
            raise FramingError(
                "E120", f"hedge lexicon {origin}: entry {row.get('name')!r} has a non-numeric weight"
            ) from None
        rule = f"hedges/{row.get('name') or row['pattern']}"
        found = _prefixes_of(pattern)
        inner = re.compile(pattern, re.IGNORECASE).groups
        prefixes = None if found is None else frozenset(found)
        entries.append(_Entry(rule, row["category"], weight, pattern, inner, prefixes, _lowered(pattern)))
        weights[rule] = weight
    entries_t = tuple(entries)
    trigger = start_trigger = None
    if entries_t and all(e.prefixes for e in entries_t):
        every: set[str] = set()
        for e in entries_t:
            every |= e.prefixes or frozenset()
        trie = _trie(every)
        trigger = re.compile(_WORD_OPENERS + "(" + trie + ")")
        start_trigger = re.compile("(" + trie + ")")
    return _Compiled(entries_t, _Matcher(entries_t), trigger, start_trigger, weights, {})


def _extra_path(options: Options | None) -> str | None:
    if options is None:
        return None
    extra = options.lexicons.get("hedges")
    return None if extra is None else str(extra)


def hedge_weights(options: Options | None = None) -> dict[str, float]:
    """``rule -> weight`` for every hedge lexicon entry (used to score sentences)."""
    return dict(_compile(_extra_path(options)).weights)


def extract_hedges(doc: Document, options: Options | None = None) -> list[dict]:
    """Find hedging, distancing and unnamed-attribution cues in a document.

    Parameters
    ----------
    doc : Document
        The article; with ``options.body_only`` (default) only its body sentences are read.
    options : Options, optional
        ``options.lexicons["hedges"]`` may name a TSV file of extra entries.

    Returns
    -------
    list of dict
        One record per cue: ``start, end`` (offsets into ``doc.text``), ``cue`` (the text),
        ``category`` (see :data:`HEDGE_CATEGORIES`) and ``rule`` (``hedges/<entry name>``).

    Examples
    --------
    >>> from framing.document import Document
    >>> doc = Document.from_text("x", "The so-called reform may be delayed.")
    >>> [(r["cue"], r["category"]) for r in extract_hedges(doc)]
    [('so-called', 'distancing_adj'), ('may', 'uncertainty')]
    """
    opts = options if options is not None else Options()
    comp = _compile(_extra_path(opts))
    text = doc.text
    spans = doc.body_sentences() if opts.body_only else doc.sentences
    out: list[dict] = []
    if not spans or not comp.entries:
        return out
    if comp.trigger is None:
        # Some entry has no literal prefix: scan every sentence with the full alternation.
        for s, e in spans:
            for m in comp.full.regex().finditer(text, s, e):
                _emit(m, comp.full, text, out)
        return out
    low = doc.lower_text()
    if len(low) != len(text):
        # Lower-casing changed the length (e.g. "İ"): offsets would drift, so scan exactly.
        for s, e in spans:
            for m in comp.full.regex().finditer(text, s, e):
                _emit(m, comp.full, text, out)
        return out
    # Matchers may run case-sensitively on ``low`` unless the text has a case-folding exception.
    use_low = text.isascii() or not any(ch in text for ch in _FOLD_SPECIAL)
    trigger_iter = comp.trigger.finditer
    start_match = comp.start_trigger.match if comp.start_trigger is not None else comp.trigger.match
    matcher_for = comp.matcher_for
    for s, e in spans:
        nxt = s
        # The trigger needs the character before a word, so the sentence's first word is
        # checked on its own (also covers glued sentences such as "difference.North"). It
        # starts at ``s``, before every trigger hit (those start at ``s + 1`` or later).
        first = start_match(low, s, e)
        hits: Iterator[re.Match[str]] = (
            trigger_iter(low, s, e) if first is None else chain((first,), trigger_iter(low, s, e))
        )
        for t in hits:
            pos = t.start(1)
            if pos < nxt:
                continue
            matcher = matcher_for(t.group(1))
            low_regex = matcher.low_regex
            if use_low and low_regex is not None:
                hit = low_regex.match(low, pos, e)
            else:
                hit = matcher.regex().match(text, pos, e)
            if hit is not None and hit.end() > pos:
                _emit(hit, matcher, text, out)
                nxt = hit.end()
    return out


def _emit(m: re.Match, matcher: _Matcher, text: str, out: list[dict]) -> None:
    """Append the record of one match (the entry's first inner group is the cue, if it has one)."""
    entry, cue_group = matcher.by_group[m.lastindex or 0]
    if cue_group is not None and m.start(cue_group) >= 0:
        start, end = m.span(cue_group)
    else:
        start, end = m.span()
    if end > start:
        out.append({"start": start, "end": end, "cue": text[start:end], "category": entry.category, "rule": entry.rule})
