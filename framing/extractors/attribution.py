"""Attribution: who is reported as saying what, with which reporting verb.

A rule-based finder of reported statements ("X said ...", "... , said X", "according to X",
"“...,” he said", "it was reported that ...") in news text. It works per paragraph (block) and
sentence with one scan of the text for cue forms (``lexicons/cues.tsv``), then looks for the
source to the left of the cue (the subject of its clause, skipping parentheticals such as
", speaking through an interpreter,") or to its right (inverted "says Blinken"), and takes the
content from the rest of the sentence or from the adjacent quotation.

Why rules and not a parser: the toolkit must run at hundreds of articles per second per core,
offline; reporting structures in news are formulaic enough for a regex-driven finder, and every
record says which rule matched (``rule``) so a teacher can show why a span was marked.

Span conventions follow PolNeAR (Newell et al. 2018): the source includes its determiner
("the source"); the content includes a leading "that" and quotation marks but not the
sentence's final full stop.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Final

from framing.document import Document
from framing.extractors.attribution_encoder import CueHead, load_cue_head
from framing.extractors.attribution_model import MODEL_RULE, CueModel, load_model, load_verifier, record_features, stem
from framing.extractors.attribution_model import candidate_features as model_features
from framing.lexicons import load_lexicon
from framing.options import Options

__all__ = ["extract_attributions", "model_candidates", "verifier_candidates"]

_AUX: Final = (
    r"has|have|had|will|would|could|can|may|might|must|should|shall|did|does|do|is|are|was|were|be|been|"
    r"being|also|not|n[’']t|never|since|(?:did|does|do|would|could|can|has|have|had|was|is|were|are|wo|should)n[’']t|ca[’']nt|"
    r"later|previously|repeatedly|again|often|publicly|privately|once|then|"
    r"already|still|just|reportedly|recently|earlier|first|even|only|further|quickly|simply|flatly|"
    r"falsely|frequently|initially|ultimately|explicitly|openly|loudly|angrily|bluntly|sharply|"
    r"strongly|firmly|emphatically|bitterly|essentially|basically|apparently|allegedly|actually|"
    r"subsequently|finally|himself|herself|themselves|itself|personally|privately|separately|"
    r"correctly|wrongly|famously|memorably|always|consistently|long|specifically|directly|"
    r"immediately|soon|last\s+week|this\s+week|on\s+\w+day"
)
_BE: Final = frozenset("is are was were be been being".split())
_DETS: Final = frozenset(
    "the a an this these those that said her his their its our my your of such any some no every each "
    "whose which what".split()
)
_PREPS: Final = frozenset(
    "in on at by for with from about into over after before during under without within through "
    "across against among between near since until upon via per".split()
)
# Clause boundaries (punctuation and these words), matched against the lower-cased text: _BOUNDARY below.
_BOUNDARY_WORDS: Final = (
    "that as while because after before since although though when whereas but and or who which where if unless "
    "whom why how whether than what so"
).split()
_VERBISH: Final = frozenset(
    "is are was were be been has have had will would could can may might must should did do does not "
    "there here it’s it's".split()
)
_NOUN_FOLLOWERS: Final = frozenset(
    "rose fell grew rise fall are were is was have has had will would could can may might must should of about "
    "from by for on in over against to into and or but made came went remain remained".split()
)
_POSTMOD: Final = frozenset("close familiar who which that of with inside within".split())
_DET_LED: Final = (
    frozenset("the a an another one some many most several both other others his her their its our".split())
)
_PRONOUN: Final = frozenset("he she they it we i you".split())
_WORD: Final = re.compile(r"[^\W_][\w’'.\-]*")
_NAME_RUN: Final = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w’'.\-]*|[A-Z])(?:\s+(?:[A-Z][\w’'.\-]*|de|da|van|von|bin|al|le|la|del|der|of)(?=\s+[A-Z]|$|[^\w\s]|\s+[a-z]|\s*,|\s*$))*"
)
# Every alternative starts with its quotation mark (the "‘" lookbehind comes after it), so that the
# regex engine skips ahead to those characters instead of trying each position of the block.
_QUOTES: Final = re.compile(
    r"“(?:[^”\"\n]+|(?<=[\s(\[—–-])\"(?=\w)[^”\"\n]*\"(?!\w))*(?:[”\"]|$)|\"[^\"”\n]*(?:[\"”]|$)|''(?:(?!'')[^\n])*(?:''|$)|``(?:(?!'')[^\n])*(?:''|$)|‘(?<![\w’']‘)[^’\n]*(?:’(?![\w])|$)|«[^»\n]*(?:»|$)",
    re.M,
)
_CLOSE_Q: Final = '”"’»'
_OPEN_Q: Final = '“"‘«'
_TRAIL: Final = re.compile(r"[\s.,;:!?…]+$")
_REL_CLAUSE: Final = re.compile(r"(?:^|(?<=[,;:—–]))\s*([^,;:—–“”\"]{1,80}?),\s+(?:who|whose)\s[^“”\"]*?,\s*$")
_TRAIL_PRONOUN: Final = re.compile(r"(?<![\w’'])(?:he|she|they|He|She|They)\s*$")
_TRAIL_NAME: Final = (
    re.compile(r"(?:(?:[A-Z][\w’'.\-]*|of|de|van|von|al|bin)\s+)*[A-Z][\w’'.\-]*(?:\s*\([^()]{1,25}\))?\s*$")
)
_LEAD_NP: Final = (
    re.compile(r"(?:(?:the|a|an)\s+)?(?:(?:[A-Z][\w’'.\-]*|[a-z][\w\-]*)(?:’s|'s)?(?:\s+|\s*,\s*|$)){1,10}")
)


@lru_cache(maxsize=8)
def _resources(extra_cues: str | None = None, extra_nouns: str | None = None, extra_titles: str | None = None):
    """Load lexicons and compile the combined cue regex (cached per set of extra files)."""
    cues = {}
    for r in load_lexicon("cues", extra_cues):
        cues[r["cue"].lower()] = (r["lemma"], r["cue_class"], r["pos"])
    nouns: dict[str, set[str]] = {}
    for r in load_lexicon("source_nouns", extra_nouns):
        key = r["noun"] if r["kind"] == "org_word" else r["noun"].lower()
        nouns.setdefault(r["kind"], set()).add(key)
    nouns["_heads"] = nouns.get("unnamed", set()) | nouns.get("org_head", set()) | nouns.get("evidence", set())
    titles = {r["title"] for r in load_lexicon("titles", extra_titles)}
    titles_lower = {t.lower().rstrip(".") for t in titles}
    pronouns = {r["pronoun"].lower(): r["resolve"] for r in load_lexicon("pronouns")}
    return cues, nouns, titles_lower, pronouns, _CueForms(cues)


# The characters of a word besides letters and digits: a cue or a model candidate is a whole run of
# them (the lexicon regex's ``\b...(?![\w’'\-])``).
_WORD_CHARS: Final = "_’'-"
# Punctuation often glued to a word ("said,", "“We"): stripped from a token before its look-up.
_TOKEN_ENDS: Final = ".,;:!?\"“”()[]…—–‘«»/"


def _plain_word(w: str) -> bool:
    """A word the scan of :func:`_word_probes` can find: a letter, then letters, digits or ``_’'-``."""
    return w[:1].isalpha() and all(c.isalnum() or c in _WORD_CHARS for c in w)


class _CueForms:
    """The cue lexicon's forms for the word scan (:func:`_word_probes`): ``words`` maps a single-word
    form to bit 2 and the first word of a multi-word form to bit 4, ``multi`` the first word to the
    rest of its forms, longest first. A lexicon with a form that is not plain words ("U.S. says")
    keeps the trie regex instead (``regex``), matched against the lower-cased text."""

    __slots__ = ("words", "multi", "regex")

    def __init__(self, cues: dict) -> None:
        self.words: dict[str, int] = {}
        self.multi: dict[str, list[tuple[str, ...]]] = {}
        self.regex: re.Pattern[str] | None = None
        for f in cues:
            ws = f.split(" ")
            if not all(_plain_word(w) for w in ws):
                self.regex = re.compile(rf"\b(?:{_trie_pattern(cues)})(?![\w’'\-])")
            elif len(ws) == 1:
                self.words[f] = self.words.get(f, 0) | 2
            else:
                self.words[ws[0]] = self.words.get(ws[0], 0) | 4
                self.multi.setdefault(ws[0], []).append(tuple(ws[1:]))
        for rests in self.multi.values():
            rests.sort(key=len, reverse=True)


@lru_cache(maxsize=16)
def _scan_table(key: tuple, model: CueModel | None) -> dict[str, int]:
    """Word -> bits for :func:`_word_probes`: the cue forms of ``_resources(*key)`` (bits 2, 4), the
    cue model's vocabulary (bit 1) and the clause-boundary words (bit 16), so that one scan serves
    both stages and the source finder."""
    table = dict(_resources(*key)[4].words)
    for w in _BOUNDARY_WORDS:
        table[w] = table.get(w, 0) | 16
    if model is not None:
        for w in model.vocab:
            table[w] = table.get(w, 0) | 1
    return table


def _locate(low: str, tok: str, pos: int) -> int:
    """Where the whitespace-delimited token ``tok`` of ``low`` first occurs at or after ``pos``."""
    n = len(tok)
    p = low.find(tok, pos)
    while (p > 0 and not low[p - 1].isspace()) or (p + n < len(low) and not low[p + n].isspace()):
        p = low.find(tok, p + 1)
    return p


def _word_probes(low: str, table: dict[str, int]) -> list[tuple[int, int, int]]:
    """``(start, end, bits)``, in text order, of the words of ``low`` that ``table`` lists: each
    maximal run of letters, digits and ``_’'-`` (``bits`` from the table), inside a run the rest
    after each ``’'-`` (cue bits only, plus 8: a cue there is glued to the word before it) and the
    pieces between them (boundary bit 16 only: "that" in "that’s").

    Why not two regexes: one ``str.split`` with a dict look-up per token is about 3x faster than the
    trie regexes of the cue lexicon and the model vocabulary, and serves both. Each token is located
    only when it holds a hit; every earlier occurrence of the same token was located before it, so the
    search from the previous hit finds it.
    """
    out: list[tuple[int, int, int]] = []
    pos = 0
    for tok in low.split():
        if tok.isalnum():  # one run: the common case
            bits = table.get(tok, 0)
            if bits:
                p = _locate(low, tok, pos)
                pos = p + len(tok)
                out.append((p, pos, bits))
            continue
        core = tok.strip(_TOKEN_ENDS)
        off = len(tok) - len(tok.lstrip(_TOKEN_ENDS))
        if core.isalnum():
            bits = table.get(core, 0)
            if bits:
                p = _locate(low, tok, pos)
                pos = p + len(tok)
                out.append((p + off, p + off + len(core), bits))
            continue
        hits: list[tuple[int, int, int]] = []
        i = 0
        n = len(core)
        while i < n:
            c = core[i]
            if not (c.isalnum() or c in _WORD_CHARS):
                i += 1
                continue
            j = i + 1
            while j < n and (core[j].isalnum() or core[j] in _WORD_CHARS):
                j += 1
            bits = table.get(core[i:j], 0)
            if bits:
                hits.append((i, j, bits))
            a = i
            for k in range(i, j):
                if core[k] in "’'-":
                    if k + 1 < j:
                        bits = table.get(core[k + 1 : j], 0) & 6
                        if bits:
                            hits.append((k + 1, j, bits | 8))
                    if a < k and table.get(core[a:k], 0) & 16:
                        hits.append((a, k, 16))
                    a = k + 1
            if i < a < j and table.get(core[a:j], 0) & 16:
                hits.append((a, j, 16))
            i = j
        if hits:
            p = _locate(low, tok, pos)
            pos = p + len(tok)
            for a, b, bits in hits:
                out.append((p + off + a, p + off + b, bits))
    return out


def _glued(text: str, p: int) -> bool:
    """A cue form at ``p`` continues the word before it ("o’said", "un-said"): not a cue."""
    return p > 0 and (text[p - 1].isalnum() or text[p - 1] in "’'-_")


def _cue_spans(text: str, low: str, probes: list[tuple[int, int, int]], forms: _CueForms) -> list[tuple[int, int]]:
    """The cue lexicon's matches: at each probe, the longest form (multi-word forms joined by any
    whitespace) not followed by a word character, matches not overlapping (what a scan of the trie
    regex finds), without the glued ones."""
    if forms.regex is not None:
        return [(m.start(), m.end()) for m in forms.regex.finditer(low) if not _glued(text, m.start())]
    out: list[tuple[int, int]] = []
    end = 0
    n = len(low)
    for p, e, bits in probes:
        if p < end or not bits & 6:
            continue
        me = -1
        if bits & 4:
            for rest in forms.multi[low[p:e]]:
                q = e
                for w in rest:
                    k = q
                    while k < n and low[k].isspace():
                        k += 1
                    if k == q or not low.startswith(w, k):
                        q = -1
                        break
                    q = k + len(w)
                if q != -1 and not (q < n and (low[q].isalnum() or low[q] in _WORD_CHARS)):
                    me = q
                    break
        if me == -1 and bits & 2:
            me = e
        if me == -1:
            continue
        end = me
        if not _glued(text, p):
            out.append((p, me))
    return out


def _trie_pattern(forms) -> str:
    """A regex alternation factored by common prefixes (fast: Python's re does not build tries)."""
    trie: dict = {}
    for f in forms:
        node = trie
        for ch in f.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


# the words as a trie: this regex is tried at every position of a source's left context
_BOUNDARY: Final = re.compile(rf"[,;:—–\[\]“”\"]|''|``|(?<!\w)(?:{_trie_pattern(_BOUNDARY_WORDS)})(?!\w)")
# its punctuation: single characters and the two-character quotes "''" and "``"
_BOUNDARY_CHARS: Final = ",;:—–[]“”\""
_BOUNDARY_PAIRS: Final = ("''", "``")


def _clause_bounds(low: str, probes: list[tuple[int, int, int]]) -> tuple[list[int], list[int], list[str]]:
    """Starts, ends and lower-cased strings of all the clause boundaries of ``low``: what
    ``_BOUNDARY.finditer(low)`` finds, from the boundary words among the probes (a boundary word is a
    whole run of ``\\w`` characters) and a ``str.find`` scan for each punctuation mark (a regex
    tests every character against the whole set; the words and the marks never overlap)."""
    spans = [(p, e) for p, e, bits in probes if bits & 16]
    i: int
    for c in _BOUNDARY_CHARS:
        i = low.find(c)
        while i != -1:
            spans.append((i, i + 1))
            i = low.find(c, i + 1)
    for pair in _BOUNDARY_PAIRS:  # non-overlapping, left to right, as a regex finds them
        i = low.find(pair)
        while i != -1:
            spans.append((i, i + 2))
            i = low.find(pair, i + 2)
    spans.sort()
    return [p for p, _ in spans], [e for _, e in spans], [low[p:e] for p, e in spans]


_AUX_WORDS: Final = (
    frozenset(
        w
        for w in re.sub(r"\\s\+|\(\?:|\)|\[’'\]", " ", _AUX).replace("|", " ").split()
        if w.isalpha() and w not in ("n", "nt", "t", "ca", "wo", "last", "week", "this", "on", "w")
    )
    | {f"{a}n{q}t" for a in "did does do would could has have had was is were are should".split() for q in "’'"}
    | {"won’t", "won't", "can’t", "can't", "n’t", "n't", "cannot"}
)


def _aux_and_prev(text: str, cue_s: int, lo: int) -> tuple[int, list[str], str]:
    """Auxiliaries/adverbs right before the cue ("has also"), the aux start, and the word before them."""
    pos, aux = cue_s, []  # type: int, list[str]
    prev = ""
    for _ in range(4):
        j = pos
        while j > lo and text[j - 1].isspace():
            j -= 1
        k = j
        while k > lo and (text[k - 1].isalnum() or text[k - 1] in "’'-"):
            k -= 1
        w = text[k:j].lower()
        if j == pos and pos != cue_s:  # no space between words: stop
            break
        if w in _AUX_WORDS and len(aux) < 3 and j < pos:
            aux.insert(0, w)
            pos = k
            continue
        if not w:  # punctuation: the previous word is the one before it
            k2 = j
            while k2 > lo and not (text[k2 - 1].isalnum()) and j - k2 < 3 and not text[k2 - 1].isspace():
                k2 -= 1
            j2 = k2
            while k2 > lo and (text[k2 - 1].isalnum() or text[k2 - 1] in "’'-"):
                k2 -= 1
            w = text[k2:j2].lower()
        prev = w
        break
    return pos, aux, prev


def _options_key(options: Options | None) -> tuple:
    lex = options.lexicons if options is not None else {}
    return (
        str(lex["cues"]) if "cues" in lex else None,
        str(lex["source_nouns"]) if "source_nouns" in lex else None,
        str(lex["titles"]) if "titles" in lex else None,
    )


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim whitespace and separator punctuation from both ends of ``text[s:e]``."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:—–-."):
        e -= 1
    return s, e


def _words(seg: str) -> list[str]:
    return _WORD.findall(seg)


class _Ctx:
    """Per-document state: lexicons, quotes and the speakers seen so far (for resolution)."""

    __slots__ = (
        "text",
        "low",
        "cues",
        "nouns",
        "titles",
        "pronouns",
        "persons",
        "orgs",
        "last_person",
        "last_group",
        "heads",
        "_wcache",
        "bounds",
    )

    def __init__(self, text: str, res: tuple) -> None:
        self.text = text
        self.cues, self.nouns, self.titles, self.pronouns, _ = res
        self.heads = self.nouns["_heads"]
        self.low: str | None = None
        self.persons: list[str] = []  # canonical names, in order of mention
        self.orgs: list[str] = []
        self.last_person: str | None = None
        self.last_group: tuple[str, str] | None = None
        self._wcache: dict[str, list[str]] = {}
        # the text's clause boundaries (_clause_bounds), when extract_attributions has scanned it
        self.bounds: tuple[list[int], list[int], list[str]] | None = None

    def words(self, seg: str) -> list[str]:
        """``_words(seg)``, memoised for this document (the source finders ask about the same
        segments several times). Callers must not modify the returned list."""
        ws = self._wcache.get(seg)
        if ws is None:
            ws = self._wcache[seg] = _WORD.findall(seg)
        return ws

    # -- classification ------------------------------------------------------------
    def looks_like_source(self, seg: str) -> bool:
        """True when ``seg`` can be the subject of a reporting verb."""
        ws = self.words(seg)
        if not ws or len(ws) > 14:
            return False
        first = ws[0].lower()
        if first in _PREPS or first in _VERBISH or first.endswith("ing") and not ws[0][0].isupper():
            return False
        if any(w in _VERBISH for w in (x.lower() for x in ws[1:])):
            return False
        last = ws[-1].lower()
        if last in _DETS or last in _PREPS:
            return False
        if len(ws) == 1 and first in self.pronouns:
            return True
        if any(w[0].isupper() for w in ws[1:]) or (ws[0][0].isupper() and first not in _DETS):
            return True
        if (
            first in _DET_LED
            and len(ws) <= 9
            and not any(
                w[0].islower()
                and w.endswith(("ed", "ing"))
                and "-" not in w
                or w.lower() in _PRONOUN
                or w.lower() in ("to", "that", "than")
                for w in (ws[1:] if len(ws) == 2 else ws[2:])  # "the gambling tycoon": a modifier
            )
            and (len(ws) <= 2 or ws[1].lower() not in _PRONOUN and ws[1].lower() not in ("to", "that", "than"))
        ):
            return True
        low = {w.lower().rstrip("’'s") for w in ws} | {w.lower() for w in ws}
        return not low.isdisjoint(self.heads)

    def is_parenthetical(self, seg: str) -> bool:
        """ ", speaking through an interpreter," / ", in a video posted on Telegram," / ", who ...,"."""
        ws = self.words(seg)
        if not ws:
            return True
        first = ws[0]
        low = first.lower()
        return (
            low in _PREPS
            or low
            in (
                "who",
                "which",
                "whose",
                "speaking",
                "according",
                "however",
                "meanwhile",
                "though",
                "too",
                "like",
                "unlike",
                "including",
                "along",
            )
            or (first[0].islower() and low.endswith(("ing", "ed")))
        )

    def is_appositive(self, seg: str) -> bool:
        """ ", governor of Kharkiv region," / ", the campaign manager," (a role describing a name)."""
        ws = self.words(seg)
        if not ws or len(ws) > 12 or ws[0][0].isupper() and ws[0].lower() not in ("the", "a", "an", "one"):
            return False
        low = [w.lower() for w in ws]
        if low[0] in ("a", "an") and len(ws) <= 10:
            return True
        return any(w in self.titles or w in self.nouns.get("unnamed", ()) for w in low[:5])

    def classify(self, speaker: str) -> tuple[str, str | None]:
        """``(source_type, canonical)`` for a speaker phrase; updates the resolution state."""
        ws = self.words(speaker)
        if not ws:
            return "unnamed", None
        low = ws[0].lower()
        if len(ws) == 1 and low in self.pronouns:
            kind = self.pronouns[low]
            if kind == "person" and self.last_person:
                return "named_person", self.last_person
            if kind == "group" and self.last_group:
                return self.last_group
            return "pronoun_unresolved", None
        unnamed = self.nouns.get("unnamed", set())
        org_head = self.nouns.get("org_head", set())
        org_word = self.nouns.get("org_word", set())
        evidence = self.nouns.get("evidence", set())
        # Name runs that are not modifiers ("US officials") nor inside a prepositional phrase.
        best = None
        for m in _NAME_RUN.finditer(speaker):
            toks = m.group(0).split()
            if len(toks) == 1 and toks[0].lower() in self.heads:
                continue  # "Police said": a capitalised common noun
            # drop everything up to the last title word ("British Prime Minister Keir Starmer")
            title_seen = False
            for k in range(len(toks) - 1, -1, -1):
                if toks[k].lower().rstrip(".") in self.titles and k < len(toks) - 1:
                    toks = toks[k + 1 :]
                    title_seen = True
                    break
            while toks and (toks[0].lower().rstrip(".") in self.titles or toks[0].lower() in ("the", "a", "an")):
                title_seen = title_seen or toks[0].lower().rstrip(".") in self.titles
                toks.pop(0)
            while toks and toks[-1].lower() in ("of", "de", "da", "van", "von", "al", "le", "la"):
                toks.pop()
            if not toks:
                continue
            before = speaker[: m.start()].split()
            prev = before[-1].lower() if before else ""
            if prev in _PREPS or prev == "of":
                continue
            after = speaker[m.end() :].lstrip()
            nxt = _WORD.match(after)
            modifier = nxt is not None and nxt.group(0)[0].islower() and not after.startswith(",")
            if prev in self.titles or prev.rstrip(".") in self.titles:
                title_seen = True
            best = (toks, title_seen, modifier)
        if best is not None and not best[2]:
            toks, title_seen, _ = best
            name = " ".join(toks).replace("’", "'")
            is_org = any(t in org_word for t in toks) or (name.upper() == name and len(name) <= 5)
            if not is_org and (title_seen or len(toks) >= 2 or self._known_person(name)):
                canon = self._resolve_person(name)
                self.last_person = canon
                return "named_person", canon
            canon = name
            if canon not in self.orgs:
                self.orgs.append(canon)
            self.last_group = ("named_org", canon)
            return "named_org", canon
        # The head noun comes before post-modifiers: "a source close to the campaign".
        lows = [w.lower() for w in ws]
        cut = len(lows)
        for k in range(1, len(lows)):
            if lows[k] in _POSTMOD or lows[k] in _PREPS:
                cut = k
                break
        head = lows[cut - 1]
        for w in [] if head in org_head else lows:
            if w in unnamed:
                canon = " ".join(x for x in lows if x not in ("the", "a", "an")).replace("’", "'")
                self.last_group = ("unnamed", canon)
                return "unnamed", canon
        if head in org_head:
            core = [x for x in lows if x not in ("the", "a", "an", "this", "that")]
            canon = " ".join(core).replace("’", "'")
            if len(core) == 1:  # "the office" -> the last org with that head
                for o in reversed(self.orgs):
                    if o.lower().endswith(head):
                        canon = o
                        break
            elif canon not in self.orgs:
                self.orgs.append(canon)
            self.last_group = ("named_org", canon)
            return "named_org", canon
        if best is not None:  # modifier-only names: "Kremlin spokesperson" -> the org
            name = " ".join(best[0])
            return ("named_org", name)
        if head in evidence:
            return "unnamed", " ".join(x for x in lows if x not in ("the", "a", "an"))
        return "unnamed", " ".join(lows)

    def _known_person(self, name: str) -> bool:
        toks = set(name.split())
        return any(not toks.isdisjoint(p.split()) for p in self.persons)

    def _resolve_person(self, name: str) -> str:
        toks = name.split()
        if len(toks) == 1:
            for p in reversed(self.persons):
                if toks[0] in p.split():
                    return p
        if name not in self.persons:
            self.persons.append(name)
        else:
            self.persons.remove(name)
            self.persons.append(name)
        return name


def _quote_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return [(m.start() + s, m.end() + s) for m in _QUOTES.finditer(text[s:e])]


def _inside(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    for qs, qe in spans:
        if qs < pos < qe - 1:
            return qs, qe
    return None


def _window_exact(low: str, lo: int, hi: int) -> bool:
    """Whether the text's clause boundaries inside ``[lo, hi)`` are what a scan of that window finds:
    no "''" or "``" runs across ``lo`` or ``hi``, and no word across or up to ``hi`` (the window's end
    would make "so" of "sorry" one; a word across ``lo`` is no boundary in either)."""
    return (lo == 0 or low[lo - 1] not in "'`") and (hi == 0 or not (low[hi - 1].isalnum() or low[hi - 1] in "_'`"))


def _left_source(ctx: _Ctx, text: str, sent_start: int, cue_start: int):
    """Find the subject to the left of the cue. Returns ``(start, end, rule)`` or None.

    The left context is cut at clause boundaries (punctuation, conjunctions, "that", "who");
    comma-delimited parentheticals (", speaking through an interpreter,") are skipped and a
    role appositive (", governor of Kharkiv region,") is joined to the name before it.
    """
    sent_start = max(sent_start, cue_start - _MAX_LEFT)  # bounded: long sentences stay linear
    left = text[sent_start:cue_start]
    if left.rstrip().endswith(","):
        chain = _apposition_chain(ctx, text, sent_start, left)
        if chain is not None:
            return chain
    rm = _REL_CLAUSE.search(left) if (", who" in left or ", whose" in left) else None
    if rm is not None:  # "Mr. Leenders, who estimated that ..., said"
        np_text = rm.group(1)
        tm = _TRAIL_NAME.search(np_text)
        if ctx.looks_like_source(np_text) and len(ctx.words(np_text)) <= 8:
            s, e = _strip(text, sent_start + rm.start(1), sent_start + rm.end(1))
            return s, e, "relative_clause"
        if tm is not None:
            s, e = _strip(text, sent_start + rm.start(1) + tm.start(), sent_start + rm.end(1))
            return s, e, "relative_clause"
    # The clause boundaries cut the left context into segments 0..n: segment i is
    # ``left[ends[i]:starts[i]]`` and ``bounds[i]`` the boundary before it (lower-cased; "" for the first).
    starts: list[int] = []
    ends: list[int] = [0]
    bounds: list[str] = [""]
    if ctx.low is not None:
        low = ctx.low
        if ctx.bounds is not None and _window_exact(low, sent_start, cue_start):
            # the text's boundaries inside [sent_start, cue_start): what a scan of the window finds
            b_starts, b_ends, b_strs = ctx.bounds
            for k in range(bisect_left(b_starts, sent_start), bisect_right(b_ends, cue_start)):
                starts.append(b_starts[k] - sent_start)
                ends.append(b_ends[k] - sent_start)
                bounds.append(b_strs[k])
        else:
            for bm in _BOUNDARY.finditer(low, sent_start, cue_start):
                bs, be = bm.span()
                starts.append(bs - sent_start)
                ends.append(be - sent_start)
                bounds.append(low[bs:be])
    starts.append(len(left))
    n = len(starts) - 1
    i = n
    rule = "subject"
    if not left[ends[i] : starts[i]].strip() and bounds[i] == "," and i >= 1:
        # "Name, governor of X, said" / "Name, speaking ..., said"; otherwise "..., said X" (inverted)
        prev = left[ends[i - 1] : starts[i - 1]]
        pw = ctx.words(prev)
        name_like = (
            0 < len(pw) <= 6
            and all(w[0].isupper() or w in ("of", "de", "van", "von") for w in pw)
            and pw[0].lower() not in _PREPS
        )
        if name_like and bounds[i - 1] in ("", "and", "but", ","):
            s, e = _strip(text, sent_start + ends[i - 1], sent_start + starts[i - 1])
            return (s, e, "subject") if e > s else None  # "Gov. John Kasich (R-OH), said"
        if not (i >= 2 and bounds[i - 1] == "," and (ctx.is_parenthetical(prev) or ctx.is_appositive(prev))):
            return None
        i -= 1
    while True:
        s0, e0 = ends[i], starts[i]
        seg_text = left[s0:e0]
        if not seg_text.strip():
            break
        if bounds[i] == "," and i >= 1 and ctx.is_parenthetical(seg_text):
            i -= 1
            rule = "parenthetical"
            continue
        if bounds[i] in ("who", "which") and i >= 2 and bounds[i - 1] == ",":
            i -= 2
            rule = "relative_subject"
            continue
        if not ctx.looks_like_source(seg_text) or len(ctx.words(seg_text)) > (12 if bounds[i] in _OPENING else 8):
            m = _TRAIL_PRONOUN.search(seg_text) or _TRAIL_NAME.search(seg_text)
            if m and ctx.looks_like_source(m.group(0)):
                s, e = _strip(text, sent_start + s0 + m.start(), sent_start + e0)
                return (s, e, "subject_name") if e > s else None
            return None
        s, e = _strip(text, sent_start + s0, sent_start + e0)
        if bounds[i] == "," and i >= 1 and ctx.is_appositive(seg_text):
            ps, pe = ends[i - 1], starts[i - 1]
            pseg = left[ps:pe]
            ws = ctx.words(pseg)
            if ws and 1 <= len(ws) <= 6 and all(w[0].isupper() or w in ("of", "de", "van", "von") for w in ws):
                s, _ = _strip(text, sent_start + ps, sent_start + pe)
                return s, e, "appositive"
        return (s, e, rule) if e > s else None
    # Nothing after the boundary: coordinated VP ("X arrived ... and vowed").
    b = bounds[i]
    if b in ("and", "but", "or"):
        prev_start = 0
        for k in range(i - 2, -1, -1):
            if bounds[k + 1] != ",":
                prev_start = ends[k + 1]
                break
        r = _parallel_subject(ctx, text, sent_start, sent_start + starts[i - 1], cue_start)
        if r is None:
            r = _leading_np(ctx, text, sent_start, sent_start + starts[i - 1])
        if r is None and n and bounds[1] == ",":  # "In an interview, Trump ... and said"
            r = _leading_np(ctx, text, sent_start + ends[1], sent_start + starts[i - 1])
        if r is None:
            r = _leading_np(ctx, text, sent_start + prev_start, sent_start + starts[i - 1])
        if r is not None:
            return r[0], r[1], "coordinated_subject"
        return None
    if b == "who" and i >= 1:
        return sent_start + starts[i - 1], sent_start + ends[i], "relative_pronoun"
    if b == "that" and i >= 1:
        # "critics who say ...": the noun right before the relative pronoun
        ps, pe = ends[i - 1], starts[i - 1]
        m = _RE_TRAIL_WORDS.search(left[ps:pe])
        if m:
            w = m.group(1)
            last = w.split()[-1]
            if last.lower() in ctx.nouns.get("unnamed", ()) or (last[0].isupper() and last.lower() not in _DETS):
                s, e = _strip(text, sent_start + ps + m.start(1), sent_start + ps + m.end(1))
                return s, e, "relative_subject"
    return None


# Boundaries before a clause-initial subject, which may be a longer noun phrase ("A U.S. law
# enforcement official familiar with the investigation said").
_OPENING: Final = frozenset(("", "”", '"', "''"))

_LOWER_WORD: Final = re.compile(r"(?<![\w’'\-])([a-z][a-z\-]*(?:ed|ing))(?![\w’'\-])")


def _parallel_subject(ctx: _Ctx, text: str, lo: int, hi: int, cue_start: int) -> tuple[int, int] | None:
    """ "some of her followers attacked her skills and [questioned] ...": the subject of the
    conjunct's parallel verb (the nearest word before "and" with the cue's ending, -ed or -ing)."""
    cm = _WORD.match(text, cue_start)
    while cm is not None and cm.group(0).lower() in _AUX_WORDS:
        cm = _WORD.match(text, cm.end() + 1) if text[cm.end() : cm.end() + 1].isspace() else None
    if cm is None:
        return None
    cw = cm.group(0)
    suffix = "ed" if cw.endswith("ed") else ("ing" if cw.endswith("ing") else "")
    if not suffix or not cw.islower():
        return None
    verbs = [m for m in _LOWER_WORD.finditer(text, lo, hi) if m.group(1).endswith(suffix)]
    if not verbs:
        return None
    return _subject_before(ctx, text, lo, _aux_head(text, lo, verbs[-1].start()))


def _aux_head(text: str, lo: int, pos: int) -> int:
    """Where the verb group of the word at ``pos`` starts: before its auxiliaries and -ly adverbs
    ("Trump has long [railed]"), not before ``lo``."""
    win = text[max(lo, pos - 60) : pos].lower()
    k = _pre_aux(win)
    return pos - len(win) + k if k != -1 else pos


def _subject_before(ctx: _Ctx, text: str, lo: int, head: int) -> tuple[int, int] | None:
    """The subject that ends right before ``head`` (a subject rule of :func:`_left_source`), or None."""
    if head <= lo:
        return None
    left = _left_source(ctx, text, lo, head)
    if left is None or left[2] not in _CHAIN_RULES or text[left[1] : head].strip():
        return None
    return left[0], left[1]


_CHAIN_LEAD: Final = re.compile(r"\s*(?:(?:But|And|Yet|So)\s+)?")


def _apposition_chain(ctx: _Ctx, text: str, lo: int, left: str):
    """ "Richard Revesz, director of the Institute ... law school, said": a name at the start of
    the clause (sentence start or right after a closing quotation) followed by comma-delimited
    appositions or relative clauses. PolNeAR sources span the whole noun phrase with its
    appositions (Newell et al. 2018); returns ``(start, end, "appositive")`` or None."""
    q = max(left.rfind("”"), left.rfind('"'))
    qe = q + 1
    k = left.rfind("''")
    if k > q:
        q, qe = k, k + 2
    if q >= 0 and left[:q].rstrip()[-1:] not in (",", "!", "?"):
        return None
    m = _CHAIN_LEAD.match(left, qe if q >= 0 else 0)
    if m is None:
        return None
    body = left[m.end() :].rstrip()[:-1]  # without the comma before the cue
    if not body or any(c in body for c in "“”\";:—–[]") or "''" in body:
        return None
    parts = body.split(",")
    if len(parts) < 2 or len(parts) > 5:
        return None
    name = parts[0]
    nws = _words(name)
    if not nws or len(nws) > 6 or not nws[0][0].isupper() or nws[0].lower() in _PREPS:
        return None
    if not all(w[0].isupper() or w in ("of", "de", "van", "von", "the", "and") for w in nws):
        return None
    if not ctx.looks_like_source(name):
        return None
    apps = parts[1:]
    if sum(len(_words(p)) for p in apps) > 40 or any(not _words(p) for p in apps):
        return None
    if all(ctx.is_parenthetical(p) and _words(p)[0].lower() not in ("who", "which", "whose") for p in apps):
        return None  # ", speaking through an interpreter,": handled by the clause scan
    if any(_words(p)[0].lower() in ("and", "but", "or", "said", "says") for p in apps):
        return None
    s, e = _strip(text, lo + m.end(), lo + m.end() + len(body))
    return (s, e, "appositive") if e > s else None


_CONTRACTED: Final = frozenset("he she it that who there what".split())
_CONTRACTED_LEADS: Final = frozenset(
    f"{w}{q}{c}"
    for w in ("i", "there", "here", "it", "that", "what")
    for q in "’'"
    for c in ("m", "s", "re", "ll", "d")
)
_NOT_SUBJECTS: Final = frozenset(
    "here there then now still later earlier meanwhile yesterday today tonight last this next however also "
    "monday tuesday wednesday thursday friday saturday sunday but and so yet".split()
)


def _main_subject(ctx: _Ctx, text: str, ss: int, end: int):
    """The subject of the sentence's main clause: its leading noun phrase, or the one after an
    introductory phrase ("In a statement released Thursday, Rep. Jeffries reacted ...")."""
    pos = ss
    for _ in range(3):
        r = _leading_np(ctx, text, pos, end)
        if r is not None and text[r[0] : r[1]].lower() not in _NOT_SUBJECTS:
            return r
        comma = text.find(",", pos, end)
        if comma == -1:
            return None
        pos = comma + 1
    return None


def _leading_np(ctx: _Ctx, text: str, s0: int, e0: int):
    """The noun phrase at the start of ``text[s0:e0]`` (names, titles, source nouns, determiners)."""
    clause = text[s0:e0]
    off = len(clause) - len(clause.lstrip())
    clause = clause.lstrip()
    for lead in ("But ", "And ", "So ", "Yet ", "Still, ", "However, ", "Meanwhile, ", "Now, "):
        if clause.startswith(lead):
            off += len(lead)
            clause = clause[len(lead) :].lstrip()
    end = 0
    begin = 0
    unnamed = ctx.nouns.get("unnamed", ())
    org_head = ctx.nouns.get("org_head", ())
    for wm in _WORD.finditer(clause):
        gap = clause[end : wm.start()]
        if gap.strip(" ,()’'") and end:
            break
        w = wm.group(0)
        wl = w.lower()
        if wl in _PREPS or wl in ("it", "there", "this", "that", "when", "while", "after", "if", "as"):
            break
        if not end and wl in _NOT_SUBJECTS and not gap.strip() and clause[wm.end() : wm.end() + 1] == " ":
            begin = wm.end()  # a leading adverb: "Then he cut into Bush"
            continue
        if wl in _CONTRACTED_LEADS:
            break  # "There’s still time for Cruz", "I'm old enough"
        if not end and begin and wl in _PRONOUN:
            end = wm.end()
            break
        if (
            (w[0].isupper() and wl not in _VERBISH)
            or wl in ("the", "a", "an")
            or wl.rstrip(".") in ctx.titles
            or wl in unnamed
            or wl in org_head
        ):
            end = wm.end()
            continue
        break
    if end:
        s, e = _strip(text, s0 + off + begin, s0 + off + end)
        if e > s and ctx.looks_like_source(text[s:e]):
            return s, e
    return None


_RIGHT_STOP: Final = re.compile(
    r"[,.;:!?—–()“”\"]|\s(?:on|in|at|during|when|after|last|this|earlier|later|to|that|told|who|as|before|while|"
    r"about|of|from|via|with|and|but)\s",
)


def _right_source(ctx: _Ctx, text: str, cue_end: int, sent_end: int):
    """Inverted source after the cue: "…, says Blinken" / "“…,” said Mr Smith"."""
    rest = text[cue_end : min(sent_end, cue_end + _MAX_LEFT)]
    m = _RIGHT_STOP.search(rest + " ")
    seg = rest[: m.start()] if m else rest
    if not seg.strip() or len(ctx.words(seg)) > 8:
        return None
    if not ctx.looks_like_source(seg):
        return None
    ws = ctx.words(seg)
    if (
        ws[0].lower()
        in ("that", "this", "there", "to", "her", "his", "their", "its", "our", "my", "your", "the", "a", "an")
        and not (len(ws) > 1 and (ws[1][0].isupper() or ws[-1].lower() in ctx.heads or ws[-1].lower() in ctx.titles))
        or any(w.lower() in _VERBISH for w in ws)
    ):
        return None
    if any(w[0].islower() and w.endswith("ed") for w in ws):
        return None
    s, e = _strip(text, cue_end, cue_end + len(seg))
    return (s, e, "inverted") if e > s else None


def extract_attributions(
    doc: Document, options: Options | None = None, *, model: bool = True, rejected: list | None = None
) -> list[dict]:
    """Find reported statements in a document.

    Parameters
    ----------
    doc : Document
        The article (its sentences and blocks are used; boilerplate skipped when
        ``options.body_only``).
    options : Options, optional
        ``body_only``, ``resolve_pronouns``, ``attribution_model``, ``attribution_univocal`` (drop the
        nested reports a univocal annotation such as PolNeAR leaves out, judged by a learned
        verifier; off by default) and extra lexicons (``cues``, ``source_nouns``, ``titles``).
    model : bool
        Also run the learned second stage (:mod:`framing.extractors.attribution_model`), which
        adds cues the word-list rules miss (``rule`` = ``"model:attribution_cues"``). False gives
        the rule-based records alone (what the model was trained on top of).
    rejected : list, optional
        When given, the ``(start, end, why)`` of cue words the rules refused as hard negatives
        ("that said", "is said to be") are appended to it, ``why`` naming the refusing rule
        (``"to"``, ``"passive"``, ``"det"`` ...; the training script needs them).

    Returns
    -------
    list of dict
        One record per cue, with the keys of the extractor contract (see ``docs/architecture.md``).

    Examples
    --------
    >>> from framing.document import Document
    >>> doc = Document.from_text("x", "Officials claimed the talks had failed.")
    >>> [(r["cue"], r["cue_class"], r["source_type"]) for r in extract_attributions(doc)]
    [('claimed', 'distancing', 'unnamed')]
    """
    options = options or Options()
    model = model and options.attribution_model
    key = _options_key(options)
    res = _resources(*key)
    cues = res[0]
    text = doc.text
    low = doc.lower_text()
    if len(low) != len(text):  # a few characters change length when lower-cased: lower them one by one
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if not text:
        return []
    ctx = _Ctx(text, res)
    ctx.low = low
    qcache: dict[tuple[int, int], list[tuple[int, int]]] = {}  # quotation spans per block, shared by both stages
    sentences = doc.body_sentences() if options.body_only else doc.sentences
    blocks = doc.blocks or [(0, len(text))]
    out: list[dict] = []
    if any(c in text for c in "-―—–"):
        out.extend(_signatures(ctx, doc, text, options))
    # One scan of the whole text for both stages; sentences without a cue (or a "Label:") are skipped.
    cue_model = load_model() if model else None
    # the opt-in encoder head of the cue stage (Options.encoder; attribution_encoder)
    head = load_cue_head() if model and options.encoder else None
    if head is not None and cue_model is not None:
        cue_model = head.candidates_of(cue_model)  # the head's extra candidate forms join the scan
    probes = _word_probes(low, _scan_table(key, cue_model))
    ctx.bounds = _clause_bounds(low, probes)
    matches = _cue_spans(text, low, probes, res[4])
    spans = _model_spans(probes)
    has_colon = ":" in text
    if not matches and not has_colon:
        if model:
            out.extend(_model_stage(ctx, text, low, sentences, blocks, out, (), qcache, spans, head))
            out.sort(key=lambda r: r["start"])
        if options.attribution_univocal:
            out = _verify(text, low, out)
        return _outside_markup(text, out) if "<" in text else out
    bi = mi = 0
    nm = len(matches)
    if rejected is None:
        rejected = []
    quotes: list[tuple[int, int]] = []
    cur_block = (-1, -1)
    for ss, se in sentences:
        while mi < nm and matches[mi][0] < ss:
            mi += 1
        has_cue = mi < nm and matches[mi][0] < se
        label = has_colon and text.find(":", ss, min(se, ss + 80)) != -1
        if not has_cue and not label:
            continue
        while bi < len(blocks) - 1 and blocks[bi][1] <= ss:
            bi += 1
        if blocks[bi] != cur_block:
            cur_block = blocks[bi]
            quotes = _block_quotes(text, cur_block, qcache)
        prev_rec = None
        left_floor = ss
        if label:
            rec = _valid(_colon(ctx, text, ss, se, quotes, cur_block, options), len(text))
            if rec is not None:
                out.append(rec)
                prev_rec = rec
                left_floor = rec["end"]
        while mi < nm and matches[mi][1] <= se:
            cue_s, cue_e = matches[mi]
            mi += 1
            got = _one(ctx, text, cue_s, cue_e, ss, se, cues, quotes, cur_block, options, left_floor, prev_rec)
            if isinstance(got, _Reject):  # a hard negative ("that said", "is said to"): the model sees why
                rejected.append((cue_s, cue_e, got.why))
                continue
            rec = _valid(got, len(text))
            if rec is not None:
                out.append(rec)
                prev_rec = rec
                if rec["rule"] != "participle":
                    left_floor = rec["end"]
    out.sort(key=lambda r: r["start"])
    if model:
        out.extend(_model_stage(ctx, text, low, sentences, blocks, out, rejected, qcache, spans, head))
        out.sort(key=lambda r: r["start"])
    if options.attribution_univocal:
        out = _verify(text, low, out)
    return _outside_markup(text, out) if "<" in text else out


def verifier_candidates(text: str, low: str, records: list[dict]) -> Iterator[tuple[dict, list[str]]]:
    """``(record, features)`` for the record verifier: the records (sorted by cue start) whose cue
    lies inside another record's content; the others are always kept (the training script uses
    this same function)."""
    starts = [r["start"] for r in records]
    outers: dict[int, dict] = {}
    has_inner: set[int] = set()
    for k, o in enumerate(records):
        cs = o["content_start"]
        if cs is None:
            continue
        for i in range(bisect_left(starts, cs), bisect_left(starts, o["content_end"])):
            if i == k:
                continue
            has_inner.add(k)
            cur = outers.get(i)
            if cur is None or abs(o["start"] - starts[i]) < abs(cur["start"] - starts[i]):
                outers[i] = o
    n = len(records)
    for i in sorted(outers):
        r = records[i]
        near = (i > 0 and r["start"] - records[i - 1]["end"] < 40) or (
            i + 1 < n and records[i + 1]["start"] - r["end"] < 40
        )
        yield r, record_features(text, low, r, outers[i], i in has_inner, near)

def _verify(text: str, low: str, records: list[dict]) -> list[dict]:
    """Drop the nested records the learned verifier scores below its threshold (attribution_model)."""
    ver = load_verifier()
    if ver is None or len(records) < 2:
        return records
    thr = ver.logit_threshold
    drop = {id(r) for r, f in verifier_candidates(text, low, records) if ver.score(f) < thr}
    return [r for r in records if id(r) not in drop] if drop else records

class _Reject:
    """Returned by ``_one`` for a hard negative (distinct from None: no source found); ``why`` names
    the rule that refused the cue word."""

    __slots__ = ("why",)

    def __init__(self, why: str):
        self.why = why


_REJ: Final = {
    w: _Reject(w)
    for w in (
        "cap cap_name det det_rel to to_bare nor that_said when passive_to passive purport verb_that noun_next noun_use"
    ).split()
}


def model_candidates(
    text: str,
    low: str,
    sentences: Sequence[tuple[int, int]],
    blocks: Sequence[tuple[int, int]],
    rules: list[dict],
    cues: dict,
    model: CueModel | None,
    rejected: Iterable[tuple] = (),
    quote_cache: dict | None = None,
    spans: list[tuple[int, int, str | None]] | None = None,
) -> Iterator[tuple[int, int, int, int, list[tuple[int, int]], list[str]]]:
    """Candidate tokens for the learned stage with their features.

    Yields ``(start, end, sent_start, sent_end, quotes, features)`` for every vocabulary word of
    the model in ``sentences`` that is not part of a rule-based record's cue or speaker. The
    training script uses this same function, so training and prediction see the same features.
    ``rejected`` are cue spans the rules refused as hard negatives (``(start, end)`` or ``(start,
    end, why)``): those whose rule ``why`` the model was trained to review
    (``CueModel.soft_rejects``) are candidates with the feature ``rej=<why>``, the others are not
    candidates at all.
    ``quote_cache`` (block -> quotation spans) is shared with the rule stage of the same text;
    ``spans`` are the vocabulary words of ``low`` when the caller has scanned it (:func:`_model_spans`).
    """
    if model is None or not model.vocab:
        return
    if spans is None:
        spans = _model_spans(_word_probes(low, _scan_table(_options_key(None), model)))
    cands = spans
    rej = sorted((r[0], r[1], r[2] if len(r) > 2 else "rule") for r in rejected)  # type: ignore[misc]
    soft = [r for r in rej if r[2] in model.soft_rejects]
    if soft:
        # a refused cue span the model reviews is itself a candidate (feature rej=<rule>);
        # vocabulary words inside it are not candidates of their own
        r_s = [r[0] for r in soft]
        cands = [
            c
            for c in cands
            if not (
                (k := bisect_right(r_s, c[0]) - 1) >= 0
                and soft[k][1] > c[0]
                or k + 1 < len(soft)
                and soft[k + 1][0] < c[1]
            )
        ]
        cands = sorted(cands + soft)
        rej = [r for r in rej if r[2] not in model.soft_rejects]
    if not cands:
        return
    rs = sorted(rules, key=lambda r: r["start"])
    r_starts = [r["start"] for r in rs]
    taken = sorted(
        [(r[0], r[1]) for r in rej]
        + [(r["start"], r["end"]) for r in rs]
        + [(r["speaker_start"], r["speaker_end"]) for r in rs if r["speaker_start"] is not None]
    )
    t_starts = [t[0] for t in taken]
    contents = sorted((r["content_start"], r["content_end"]) for r in rs if r["content_start"] is not None)
    c_starts = [c[0] for c in contents]
    ci = bi = 0
    nc = len(cands)
    cur_block = (-1, -1)
    quotes: list[tuple[int, int]] = []
    for ss, se in sentences:
        while ci < nc and cands[ci][0] < ss:
            ci += 1
        if ci >= nc:
            break
        if cands[ci][0] >= se:
            continue
        while bi < len(blocks) - 1 and blocks[bi][1] <= ss:
            bi += 1
        if blocks[bi] != cur_block:
            cur_block = blocks[bi]
            quotes = _block_quotes(text, cur_block, quote_cache)
        sq = [q for q in quotes if q[0] < se and q[1] > ss]
        lo, hi = bisect_left(r_starts, ss), bisect_left(r_starts, se)
        while ci < nc and cands[ci][1] <= se:
            s, e, why = cands[ci]
            ci += 1
            k = bisect_right(t_starts, s) - 1
            if k >= 0 and taken[k][1] > s or k + 1 < len(taken) and taken[k + 1][0] < e:
                continue
            k = bisect_right(c_starts, s)
            in_content = False
            for cs, ce in contents[max(0, k - 4) : k]:
                if cs <= s < ce:
                    in_content = True
                    break
            in_quote = False
            for qs, qe in sq:
                if qs < s < qe:
                    in_quote = True
                    break
            form = low[s:e]
            if why is not None and not form.isalpha():
                form = " ".join(form.split())
            entry = cues.get(form)
            feats = model_features(
                text,
                low,
                s,
                e,
                ss,
                se,
                in_quote,
                bool(sq),
                entry[2] if entry else None,
                hi > lo,
                in_content,
                lo < hi and r_starts[lo] < s,
                model.classes.get(form, ()) if model.classes else (),
            )
            if why is not None:
                feats.append("rej=" + why)
            yield s, e, ss, se, sq, feats


def _aux_like(w: str) -> bool:
    """An auxiliary or adverb of a verb group: a word of ``_AUX_WORDS`` or ``[a-z]+ly``."""
    return w in _AUX_WORDS or len(w) > 2 and w.endswith("ly") and w.isascii() and w.isalpha() and w.islower()


def _pre_aux(win: str) -> int:
    r"""Where the auxiliaries and -ly adverbs that end ``win`` start ("has long " in "Trump has long "),
    or -1: the leftmost start of ``(?:(?<![\w’'])(?:AUX|[a-z]+ly)\s+)+$``, found by walking back over
    the words (a regex anchored at the end is tried at every position of the window)."""
    i = len(win)
    if not i or not win[i - 1].isspace():
        return -1
    start = -1
    while True:
        while i > 0 and win[i - 1].isspace():
            i -= 1
        te = i
        while i > 0 and not win[i - 1].isspace():
            i -= 1
        if i == te:
            return start
        tok = win[i:te]
        if _aux_like(tok):
            start = i
            continue
        for o in range(1, len(tok)):  # a word glued after punctuation: "(also "
            c = tok[o - 1]
            if not (c.isalnum() or c in "_’'") and _aux_like(tok[o:]):
                return i + o
        return start


_MERGE_GAP: Final = re.compile(r"\s+(?:[\w’'\-]+\s+){0,2}")
_POSSESSOR: Final = re.compile(
    r"(?:((?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*)(?:’s|'s|’|')|\b(his|her|their|its|His|Her|Their|Its))"
    r"\s+(?:[a-z][\w\-]*\s+){0,2}$"
)

# one of these is in every match of _POSSESSOR ("their" has "heir"): a window without them is skipped
_POSSESSOR_NEEDS: Final = ("’", "'", "his", "her", "heir", "its", "His", "Her", "Its")


def _may_possess(text: str, lo: int, hi: int) -> bool:
    """Whether ``_POSSESSOR`` can match in ``text[lo:hi]`` (a search there tries every position)."""
    for k in _POSSESSOR_NEEDS:
        if text.find(k, lo, hi) != -1:
            return True
    return False


def _model_spans(probes: list[tuple[int, int, int]]) -> list[tuple[int, int, str | None]]:
    """The model vocabulary's words among the probes (:func:`_word_probes`): ``(start, end, None)``."""
    return [(p, e, None) for p, e, bits in probes if bits & 9 == 1]


_Cand = tuple[int, int, int, int, list[tuple[int, int]], list[str]]  # a candidate of model_candidates


def _no_score(feats: list[str]) -> float:
    return 0.0


def _encoder_accepted(text: str, model: CueModel, head: CueHead, cands: list[_Cand]) -> list[_Cand]:
    """The candidates whose log-odds, mixed with the encoder head's (``head.mix``), reach the head's
    threshold (``Options(encoder=True)``; :mod:`framing.extractors.attribution_encoder`)."""
    if not cands:
        return []
    lin = [model.score(c[5]) for c in cands]
    z = head.log_odds(text, [c[:4] for c in cands], lin)
    thr = head.logit_threshold
    return [c for c, zz in zip(cands, z) if zz >= thr]


def _model_stage(ctx: _Ctx, text: str, low: str, sentences, blocks, rules: list[dict], rejected=(),
                 quote_cache: dict | None = None, spans: list[tuple[int, int, str | None]] | None = None,
                 head: CueHead | None = None) -> list[dict]:
    """Records for the cues the learned model accepts (adjacent accepted words form one cue); with an
    encoder ``head`` (``Options(encoder=True)``) the model's log-odds are mixed with the head's."""
    model = load_model()
    if model is None:
        return []
    if head is not None:
        model = head.candidates_of(model)
        if spans is not None:  # words the cue tagger marks that no candidate form covers
            spans = head.proposed(text, sentences, spans)
    thr = model.logit_threshold
    score = model.score
    merged: list[list] = []
    cands: Iterable[_Cand] = model_candidates(text, low, sentences, blocks, rules, ctx.cues, model, rejected,
                                              quote_cache, spans)
    if head is not None:
        cands = _encoder_accepted(text, model, head, list(cands))
        thr, score = -math.inf, _no_score
    for s, e, ss, se, sq, feats in cands:
        if score(feats) < thr or low.endswith("than ", max(ss, s - 5), s):
            continue  # comparatives ("faster than expected", "more than thought") report no one
        if merged and merged[-1][2] == ss and _MERGE_GAP.fullmatch(text, merged[-1][1], s):
            merged[-1][1] = e
            continue
        merged.append([s, e, ss, se, sq])
    out = []
    for s, e, ss, se, sq in merged:
        probe = source_probe(ctx, text, s, e, ss, se)
        rec = _valid(_model_record(ctx, text, s, e, ss, se, sq, probe), len(text))
        if rec is not None:
            out.append(rec)
    return out


def source_probe(ctx: _Ctx, text: str, s: int, e: int, ss: int, se: int):
    """Where the rule-based source finders put the source of a cue at ``[s, e)``: ``(span, rule)``."""
    head = s  # the source ends before auxiliaries and adverbs: "Trump has long [railed]"
    win = text[max(ss, s - 60) : s].lower()
    aux_at = _pre_aux(win)
    if aux_at != -1:
        head = s - len(win) + aux_at
    first = _WORD.match(text, s)
    w1 = first.group(0).lower() if first else ""
    if (first is not None and w1.startswith(("seem", "appear")) and first.end() == e) or (
        aux_at != -1 and _PASSIVE_AUX.search(win, aux_at) and _PARTICIPLE.search(w1)
    ):
        # "The race appeared closer": an evidential verb's subject is its topic, not a source (but
        # "Trump appeared to suggest", one cue with a verb of saying, keeps it);
        # "Clinton was declared the winner": a passive's subject neither — its agent ("by X") is
        return _by_agent(ctx, text, e, se), "passive"
    fm = _FROM_AGENT.match(text, e, se) if first is not None and first.end() == e else None
    if fm is not None and _TARGET_BEFORE.search(text, max(ss, s - 40), s) is not None:
        # "The House bill has drawn [criticism] from some quarters", "Sanders receiving more [support] from
        # the youth": the "from" phrase is the source (the subject, the target, is the content)
        agent = _source_np_at(ctx, text, fm.end(), se)
        if agent is not None:
            return agent, "target"
    psych = w1[:3] in _PSYCH_PREFIXES and stem(w1) in _PSYCH
    if (
        psych
        and first is not None
        and first.end() == e
        and (aux_at != -1 or w1.endswith(("ed", "ing", "s")))
        and _prev_word(text, head, ss) not in _DETS
    ):
        # "His behavior has angered [the party's top figures]": the experiencer object is the source
        obj = _object_np(ctx, text, e, se)
        if obj is not None:
            return obj, "experiencer"
    if first is not None and not psych and _PARTICIPLE.search(w1):
        agent = _by_agent(ctx, text, e, se)
        if agent is not None:  # "As reported by Western Journalism", "backed by super PACs"
            return agent, "passive"
    if head - ss <= 12 and (not text[ss:head].strip() or text[ss:head].strip().lower() in _INTRO_PREPS):
        # "In describing Trump, Cuban said ...": the subject after the introductory phrase
        intro = _after_intro_subject(ctx, text, e, se)
        if intro is not None:
            return intro, "main_subject"
    left = _left_source(ctx, text, ss, head) if head > ss else None
    if left is not None:
        return left[:2], left[2]
    chain = _verb_chain_source(ctx, text, ss, head) if head > ss else None
    if chain is not None:
        return chain, "verb_chain"
    pm = _POSSESSOR.search(text, max(ss, s - 80), s) if _may_possess(text, max(ss, s - 80), s) else None
    if pm is not None:  # "Trump’s comments", "her criticism": the possessor is the source
        g = 1 if pm.group(1) else 2
        return (pm.start(g), pm.end(g)), "possessive"
    entry = ctx.cues.get(low_form := text[s:e].lower())
    right = _right_source(ctx, text, e, se) if _may_invert(text, ss, s, entry[0] if entry else stem(low_form)) else None
    if right is not None:
        return right[:2], "inverted"
    participle = text.endswith("ing", s, e) and text[max(ss, s - 3) : s].rstrip().endswith(",")
    main = _main_subject(ctx, text, ss, s) if participle and head > ss else None
    if main is not None:  # "Trump spoke ..., promising to": the subject of the main clause
        return main, "main_subject"
    return None, "none"


def _last_word(text: str, lo: int, hi: int, chars: str, lower_first: bool) -> tuple[int, int]:
    r"""The span of the word that ends ``text[lo:hi]`` before its trailing whitespace, or (-1, -1): the longest
    run of letters, digits and ``chars`` (from its first ``[a-z]`` if ``lower_first``). That is the
    search of ``([a-z][\w\-]*)\s+$`` (``chars`` "_-", ``lower_first``) or ``([\w’'.\-]+)\s+$`` in the
    window, written as a walk back (an end-anchored regex is tried at every position)."""
    j = hi
    while j > lo and text[j - 1].isspace():
        j -= 1
    if j == hi:
        return -1, -1
    k = j
    while k > lo and (text[k - 1].isalnum() or text[k - 1] in chars):
        k -= 1
    if lower_first:
        while k < j and not ("a" <= text[k] <= "z"):
            k += 1
    return (k, j) if k < j else (-1, -1)


_CHAIN_STOP: Final = frozenset(
    "that which who whom whose what when where while if as because after before since although though and but "
    "or nor than so whether why how".split()
)


_CHAIN_VERBS: Final = frozenset(
    "made make took take gave give held hold began begun sent send went go came come got get kept keep put "
    "set let saw see told tell felt feel left leave ran run".split()
)
# The subject of "faced criticism", "has drawn criticism", "received complaints" is the target, not the source.
_CHAIN_TARGET: Final = frozenset(
    "face faces faced facing draw draws drew drawn drawing receive receives received receiving attract attracts "
    "attracted attracting become becomes became dealt deals earned earns garnered garners sparked sparks "
    "prompted prompts provoked provokes triggered triggers".split()
)
_TARGET_BEFORE: Final = re.compile(
    r"(?<![\w’'])(?:" + "|".join(sorted(_CHAIN_TARGET | {"win", "wins", "won", "winning", "earning", "earn"}))
    + r")\s+(?:[a-z][\w\-]*\s+){0,2}$"
)
_FROM_AGENT: Final = re.compile(r"\s+from\s+")
_CHAIN_RULES: Final = frozenset(("subject", "subject_name", "appositive", "relative_subject", "relative_clause"))


def _verb_chain_source(ctx: _Ctx, text: str, ss: int, head: int) -> tuple[int, int] | None:
    """The subject before a short verb chain ending in the cue: "Trump made a [plea]", "Sanders voted
    in [support]", "he is correct to [note]", "Trump has avoided [criticizing]": the model's cue is
    the content word of a multi-word cue whose verb stands between it and the subject. Up to four
    lower-case words, the first of them not a preposition or determiner, are skipped back to a
    subject that the left-source finder accepts."""
    pos = head
    first = ""
    for _ in range(4):
        k, j = _last_word(text, max(ss, pos - 30), pos, "_-", True)
        if k == -1:
            return None
        w = text[k:j]
        if w in _CHAIN_STOP:
            return None
        pos = k
        first = w
        if pos <= ss or not text[pos - 1].isspace():
            return None
        if first in _PREPS or first in _DETS or first == "to":
            continue
        if first in _CHAIN_TARGET:
            return None
        if not (
            first in _AUX_WORDS or first in _CHAIN_VERBS or first.endswith(("ed", "s")) and not first.endswith("ss")
        ):
            continue
        k, j = _last_word(text, max(ss, pos - 40), pos, "_’'.-", False)
        if k == -1:
            return None
        w = text[k:j]
        wl = w.lower()
        if not (w[0].isupper() or wl in ctx.pronouns or wl in ctx.heads or wl.endswith("s") and wl not in _AUX_WORDS):
            continue  # the subject ends in a name, a pronoun, a source noun or a plural ("critics")
        subj = _subject_before(ctx, text, ss, pos)
        if subj is not None:
            return subj
    return None


# Verbs of saying that allow quotative inversion after a plain comma ("..., said officials",
# "..., wrote Smith"); after "and"/"but" or a comma other verbs take an object, not an inverted
# subject ("... but defended Bernie Sanders", "..., told her supporters"). On PolNeAR train_sample
# the inverted source was right for say/write/add/tweet and wrong for every transitive verb.
_QUOTATIVE: Final = frozenset(
    "say add write ask note report read tweet explain continue recall reply respond insist argue warn observe "
    "remark counter concede quip joke exclaim complain conclude echo declare state begin post scoff".split()
)


def _may_invert(text: str, ss: int, start: int, lemma: str) -> bool:
    """Whether a source may follow the cue at ``start`` ("“…,” said Smith", "Says Blinken: …")."""
    before = text[ss:start].rstrip()
    if not before or before[-1] in "”\"’'—–:(":
        return True
    return before[-1] == "," and lemma in _QUOTATIVE


_PSYCH: Final = frozenset(
    stem(w)
    for w in "anger angered upset infuriate infuriated offend offended surprise surprised worry worried worrying "
    "trouble troubled troubling alarm alarmed frustrate frustrated disappoint disappointed annoy annoyed irritate "
    "irritated outrage outraged shock shocked dismay dismayed rankle rankled irk irked bother bothered impress "
    "impressed please pleased delight delighted enrage enraged alienate alienated".split()
)
_PSYCH_PREFIXES: Final = frozenset(w[:3] for w in _PSYCH)
_INTRO_PREPS: Final = frozenset("in after before while when by on upon since as".split())
_AGENT_STOP: Final = re.compile(
    r"[,;:.!?—–()“”\"]|\s(?:on|in|at|who|which|that|as|for|to|about|after|over|with|during|because|but)\s"
)


def _object_np(ctx: _Ctx, text: str, e: int, se: int) -> tuple[int, int] | None:
    """The noun phrase right after a cue ("has angered [conservative Jews]"), or None."""
    a0 = e
    while a0 < se and text[a0].isspace():
        a0 += 1
    if text.startswith("to ", a0):
        a0 += 3  # "troubling to many in the room"
    elif text.startswith(("by ", "with ", "that ", "about "), a0):
        return None  # "pleased by its plans": the stimulus
    return _source_np_at(ctx, text, a0, se)


def _source_np_at(ctx: _Ctx, text: str, a0: int, se: int) -> tuple[int, int] | None:
    """The noun phrase from ``a0`` to the first clause stop (:data:`_AGENT_STOP`, at most 120 characters
    on), trimmed, if it looks like a source; else None. An object or a passive agent taken as source."""
    after = text[a0 : min(se, a0 + 120)]
    stop = _AGENT_STOP.search(after + " ")
    a, b = _strip(text, a0, a0 + (stop.start() if stop else len(after)))
    return (a, b) if b > a and ctx.looks_like_source(text[a:b]) else None


def _after_intro_subject(ctx: _Ctx, text: str, e: int, se: int) -> tuple[int, int] | None:
    """ "In describing Trump, Cuban said": the leading noun phrase after the phrase's comma."""
    k = text.find(",", e, min(se, e + 150))
    if k == -1 or any(c in text[e:k] for c in "“”\""):
        return None
    return _leading_np(ctx, text, k + 1, se)


_PASSIVE_AUX: Final = (
    re.compile(r"(?<![\w’'])(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+|not\s+|also\s+|never\s+)*$")
)
_PARTICIPLE: Final = (
    re.compile(r"(?:ed|en|wn|said|told|thought|found|made|held|heard|seen|known|given|taken|led|put|set)$")
)
_BY_AGENT: Final = re.compile(r"(?:\s+[a-z]+ly)?\s+by\s+")


def _by_agent(ctx: _Ctx, text: str, e: int, se: int):
    """The agent of a passive cue ("was rejected by 64 percent of the electorate"), or None."""
    m = _BY_AGENT.match(text, e, se)
    return None if m is None else _source_np_at(ctx, text, m.end(), se)


def _model_record(ctx: _Ctx, text: str, s: int, e: int, ss: int, se: int, quotes, probe) -> dict:
    """A record for a model-found cue: the probed source, then the content."""
    form = text[s:e].lower()
    first = form.split()[0] if form.split() else form
    entry = ctx.cues.get(form) or ctx.cues.get(first)
    lemma, cue_class = (entry[0], entry[1]) if entry else (stem(first), "neutral")
    sp, src_rule = probe
    content: tuple[int, int] | None = None
    quote: tuple[int, int] | None = None
    if src_rule == "target":
        # (unless the noun has its own clause: "has faced criticism from rivals [that the tenor ...]")
        tm = _TARGET_BEFORE.search(text, max(ss, s - 40), s)
        if tm is not None and not _THAT.search(text, e, min(se, e + 100)):
            head = _aux_head(text, ss, tm.start())
            content = _subject_before(ctx, text, ss, head) or _stimulus_before(ctx, text, ss, head)
    elif src_rule == "experiencer" or (
        src_rule == "passive"
        and not first.startswith(("seem", "appear", "ask", "told", "tell", "press", "inform", "question"))
        and _PASSIVE_TAIL.match(text, e)
    ):
        # "Mrs. Clinton's position has angered [some Democrats]", "The plan was approved by ...":
        # what angered or was approved — the subject — is the content
        head = _aux_head(text, ss, s)
        content = _subject_before(ctx, text, ss, head) or _stimulus_before(ctx, text, ss, head)
    if content is None:
        content, quote = _content(ctx, text, ss, se, s, e, sp, src_rule, lemma, quotes, (ss, se))
    if content is not None:
        cs, ce = content
        inner = [(qs, qe) for qs, qe in quotes if qs >= cs and qe <= ce + 1 and qe > qs]
        if quote is None and inner:
            quote = (inner[0][0], inner[-1][1])
        quoted = sum(qe - qs for qs, qe in inner)
        kind = (
            "direct"
            if inner and quoted >= 0.8 * (ce - cs) and text[cs] in _OPEN_Q
            else ("mixed" if inner else "indirect")
        )
    else:
        kind = "indirect"
    if sp is not None:
        speaker = text[sp[0] : sp[1]]
        source_type, canonical = ctx.classify(speaker)
    else:
        speaker, source_type, canonical = None, "unnamed", None
    return _relation(text, (s, e), lemma, cue_class, sp, source_type, canonical, quote, content, kind, MODEL_RULE)


# What angered or was approved when the subject rules find no subject before the verb group: a
# relative pronoun ("something [that] worries officials", "[which] was projected by networks", "Trump,
# [whose views] have upset ..."), a noun phrase before a reduced relative ("[a number of arrests]
# documented by Fusion", "[the production gluts] now worrying policy makers"), or the clause's first
# noun phrase before an apposition ("[Trump], for years a registered Democrat, has offended ...")
_STIM_REL: Final = re.compile(r"(?<![\w’'])(?:(that|which)|(whose\s[^,;:()“”\"]{1,60}?))\s+$", re.IGNORECASE)
_STIM_NP: Final = re.compile(
    r"(?<![\w’'])((?:the|a|an|this|these|those|his|her|their|its|our|some|many|several)(?:\s+[\w’'\-$]+){1,5}?)"
    r"(?:\s+(?:now|also|still|already|often|even))?\s+$",
    re.IGNORECASE,
)
_STIM_APPOS: Final = re.compile(r"([^,;:()“”\"]{2,80}?),[^;:()“”\"]{2,120},\s*$")


def _stimulus_before(ctx: _Ctx, text: str, ss: int, head: int) -> tuple[int, int] | None:
    """The stimulus subject before a passive or psych-verb cue whose verb group starts at ``head`` (see above)."""
    if head <= ss:
        return None
    lo = max(ss, head - 200)
    m = _STIM_REL.search(text, max(lo, head - 80), head)
    if m is not None:
        g = 1 if m.group(1) else 2
        return m.start(g), m.end(g)
    m = _STIM_APPOS.match(text, lo, head) if lo == ss else None
    if m is not None and len(_words(m.group(1))) <= 8:
        cs, ce = _strip(text, m.start(1), m.end(1))
        return (cs, ce) if ce > cs else None
    m = _STIM_NP.search(text, max(lo, head - 60), head)
    if m is not None:
        words = m.group(1).lower().split()
        if not any(w != "of" and w in _GAP_STOP or w in _AUX_WORDS for w in words[1:]):
            return m.start(1), m.end(1)
    return None


# A passive model cue with nothing but adverbials, an agent or the clause's end after it ("The plan was
# approved last year", "was retweeted 3,200 times"): its subject is the content.
_PASSIVE_TAIL: Final = re.compile(
    r"\s*(?:[,.;:!?—–)]|$|by\s|\d|(?:last|this|earlier|later|ultimately|again|already|"
    r"recently|yesterday|today|on|in|at|during|since)\b)"
)


_SIGNATURE: Final = re.compile(r"[-―—–]\s*((?:[A-Z][\w’'.\-]*\s*){1,6}?)(?:,[^\n]{0,80})?\.?$")


def _signatures(ctx: _Ctx, doc: Document, text: str, options: Options) -> list[dict]:
    """A quotation signed on its own line or after the quote: "“...”" / "- Bernie Sanders."."""
    out = []
    blocks = doc.body_blocks() if options.body_only else doc.blocks
    for k, (bs, be) in enumerate(blocks):
        m = _SIGNATURE.match(text, bs, be)
        if m is None and be - bs > 2:
            # "“...” ― Donald Trump" at the end of the block
            j = max(text.rfind("”", bs, be), text.rfind('"', bs, be))
            if j > bs:
                k2 = j + 1
                while k2 < be and text[k2].isspace():
                    k2 += 1
                m2 = _SIGNATURE.match(text, k2, be)
                if m2 is not None:
                    qs = max(text.rfind("“", bs, j), bs)
                    out.append(_sig_record(ctx, text, m2, (qs, j + 1)))
            continue
        if m is None or k == 0:
            continue
        ps, pe = blocks[k - 1]
        prev = text[ps:pe]
        if not (prev[:1] in _OPEN_Q or prev.rstrip(".")[-1:] in _CLOSE_Q):
            continue
        out.append(_sig_record(ctx, text, m, (ps, pe)))
    return [r for r in (_valid(r, len(text)) for r in out) if r is not None]


def _sig_record(ctx: _Ctx, text: str, m: re.Match, content: tuple[int, int]) -> dict:
    ss, se = _strip(text, m.start(1), m.end(1))
    source_type, canonical = ctx.classify(text[ss:se])
    return {
        "start": m.start(),
        "end": m.start() + 1,
        "cue": text[m.start()],
        "cue_lemma": "signature",
        "cue_class": "neutral",
        "speaker": text[ss:se],
        "speaker_start": ss,
        "speaker_end": se,
        "canonical_speaker": canonical,
        "quote_start": content[0],
        "quote_end": content[1],
        "content_start": content[0],
        "content_end": content[1],
        "kind": "direct",
        "source_type": source_type,
        "rule": "signature",
    }


_MAX_SENT: Final = 600  # characters of a sentence considered on either side of a cue
_MAX_LEFT: Final = 400  # characters of context searched for a source on either side of a cue
_RE_QUESTION: Final = re.compile(r"\s+(?:[a-z]+\s+){0,3}?(?:if|whether|about|what|who|why|how|which|when|where)\b")
_RE_CLAUSE_END: Final = re.compile(r",\s")
_TO_ADDRESSEE: Final = (
    frozenset("say tell add speak write report explain respond reply mention announce describe".split())
)
_QUOTE_CLOSE_BEFORE: Final = re.compile(r"[”\"']\s*,?\s*$|,\s*$")
_RE_AFTER_QUOTE: Final = re.compile(r"[,!?.…]\s*(?:[”\"’]|'')\s+(?:[\w’'.\-]+\s+){0,4}$")
_RE_TO: Final = re.compile(r"\s+to\b")
_RE_THAT_OR_QUOTE: Final = re.compile(r"\s*(?:that\b|:|“|\")")
_RE_NEXT_WORD: Final = re.compile(r"\s*([\w’'\-]+)")
_RE_VERB_THAT: Final = re.compile(r"\s*(?:that\b|[,:]?\s*[“\"‘]|,?\s*'')")
_RE_ACC_STOP: Final = re.compile(r"[,;:.!?—–()“”\"]|\s(?:on|in|at|who|which|that)\s")
# "But according to X, ...", "... after, according to him, ...", "...: According to polls, ...": a
# conjunction, subordinator or colon before "according to" leaves the clause after the source as content
_ACC_OPEN: Final = frozenset(
    "and but yet so or nor however after before because since when while if although though that as then "
    "now also still".split()
)
_CAP_BEFORE: Final = re.compile(r"(?<![\w’'])[A-Z][\w’'.\-]*\s+$")
_RE_TRAIL_WORDS: Final = re.compile(r"((?:[A-Z][\w’'.\-]*\s+)*[\w’'.\-]+)\s*$")


_MARKUP_TAG: Final = re.compile(r"</?[A-Za-z][\w:\-]*(?:\s[^<>\n]{0,200})?/?>")


def _outside_markup(text: str, records: list[dict]) -> list[dict]:
    """Drop records whose cue lies inside a leftover markup tag ("<tweet/>", "<a href=...>"): not prose."""
    tags = [(m.start(), m.end()) for m in _MARKUP_TAG.finditer(text)]
    if not tags:
        return records
    starts = [t[0] for t in tags]
    out = []
    for r in records:
        k = bisect_right(starts, r["start"]) - 1
        if k < 0 or tags[k][1] <= r["start"]:
            out.append(r)
    return out


def _valid(rec: dict | None, n: int) -> dict | None:
    """Drop empty optional spans (set them to None); drop the record if the cue or speaker is empty."""
    if rec is None or not (0 <= rec["start"] < rec["end"] <= n):
        return None
    for ks, ke in (("quote_start", "quote_end"), ("content_start", "content_end")):
        s, e = rec[ks], rec[ke]
        if s is None or e is None or not (0 <= s < e <= n):
            rec[ks] = rec[ke] = None
    s, e = rec["speaker_start"], rec["speaker_end"]
    if s is not None and not (0 <= s < e <= n):
        return None
    return rec


_RE_LAST_WORD: Final = re.compile(r"([\w’'\-]+)\W*$")


def _prev_word(text: str, pos: int, lo: int) -> str:
    m = _RE_LAST_WORD.search(text[max(lo, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def _one(ctx: _Ctx, text: str, cue_s: int, cue_e: int, ss: int, se: int, cues: dict[str, tuple[str, str, str]],
         quotes: list[tuple[int, int]], block: tuple[int, int], options: Options, left_floor: int,
         prev_rec: dict[str, Any] | None) -> dict[str, Any] | _Reject | None:
    # Work in a bounded window so that huge one-line "sentences" stay linear.
    ss, se = max(ss, cue_s - _MAX_SENT), min(se, cue_e + _MAX_SENT)
    if len(quotes) > 8:
        qstarts = [q[0] for q in quotes]
        quotes = quotes[max(0, bisect_left(qstarts, ss - _MAX_SENT) - 1) : bisect_right(qstarts, se + _MAX_SENT)]
    cue_word = text[cue_s:cue_e]
    form = cue_word.lower()
    if " " in form or "\n" in form or "\t" in form:
        form = " ".join(form.split())
    lemma, cue_class, pos = cues.get(form, (form, "neutral", "verb"))
    start, aux, prev = _aux_and_prev(text, cue_s, ss)
    if _inside(cue_s, quotes):
        return None
    nxt_text = text[cue_e : min(se, cue_e + 40)]
    # -- negatives ---------------------------------------------------------------------------
    asked_q = (
        lemma == "ask"
        and form == "asked"
        and not aux
        and (cue_s == ss or prev == "when")
        and bool(_RE_QUESTION.match(text, cue_e, se))
    )  # "Asked whether ..., he said" / "when asked about ...": a question put to the source
    if cue_word[0].isupper() and pos != "prep" and not asked_q and (cue_s == ss or not _is_headline(text, block)):
        # "Edward Said", "State Senate President" (part of a name); title-case headlines are allowed
        return _REJ["cap_name" if _CAP_BEFORE.search(text, max(ss, cue_s - 40), cue_s) else "cap"]
    if (
        (
            prev in _DETS
            and (prev != "said" or text[max(ss, start - 2) : start].rstrip()[-1:].isalnum())  # not "said, adding"
            or prev.endswith(("’s", "'s"))
            and prev[:-2] not in _CONTRACTED  # "He’s claiming", "It’s denouncing": is/has, not a possessive
            or text[max(ss, start - 3) : start] in ("s’ ", "s' ")
            or prev == "so"
        )
        and not aux
        and pos != "prep"
    ):
        if prev in ("which", "that") and form.endswith(("ed", "s")) or prev == "those" and form.endswith("ing"):
            # "the union, which endorsed ...", "a poll that shows ...", "those describing themselves as":
            # a relative pronoun, not a determiner, before a finite verb or participle ("that said" and
            # "those claims" stay hard negatives); the cue model reviews these
            return _REJ["det_rel"]
        return _REJ["det"]  # "the said property", "her claims", "insurance claims"? (handled below)
    if prev in ("neither", "nor") and not aux:
        return _REJ["nor"]  # "neither confirmed nor denied"
    if prev == "to" and not aux:
        # infinitive: "nothing more to say (about)" has no content; "went on TV to say he ..." may report
        nw = _RE_NEXT_WORD.match(nxt_text)
        bare = nw is None or nw.group(1).lower() in _PREPS or nxt_text[:1] in ".;!?"
        return _REJ["to_bare" if bare else "to"]
    if lemma == "say" and form == "said" and prev in ("that", "having") and nxt_text.startswith(","):
        return _REJ["that_said"]  # "that said, ..."
    if (
        prev in ("when", "if", "once", "unless", "as")
        and not aux
        and form.endswith("ed")
        and lemma != "say"
        and not asked_q
    ):
        return _REJ["when"]  # "when asked whether ..."
    passive = (
        bool(aux) and aux[-1] in _BE and (form.endswith(("ed", "said", "told", "written", "shown", "found", "thought")))
    )
    if passive:
        if _RE_TO.match(nxt_text):
            return _REJ["passive_to"]  # "it is said to be"
        if not _RE_THAT_OR_QUOTE.match(nxt_text) or form in ("told", "asked"):
            return _REJ["passive"]
    nxt_word_m = _RE_NEXT_WORD.match(nxt_text)
    nxt_word = nxt_word_m.group(1).lower() if nxt_word_m else ""
    if lemma == "purport" and nxt_word != "to":
        return _REJ["purport"]  # "purported arms supplies": adjective
    if (
        pos == "verb_that"
        and not _RE_VERB_THAT.match(nxt_text)
        and not _RE_AFTER_QUOTE.search(text, max(ss, start - 60), start)
    ):
        return _REJ["verb_that"]  # "maintained the road", "comments on": only "maintained that ..." reports
    # -- source --------------------------------------------------------------------------------
    rule = None
    sp = None
    content = None
    if pos == "prep":  # according to X
        after = text[cue_e:se]
        stop = _RE_ACC_STOP.search(after + " ")
        seg_end = cue_e + (stop.start() if stop else len(after))
        s, e = _strip(text, cue_e, seg_end)
        if e <= s:
            return None
        sp = (s, e)
        rule = "according_to"
        before = text[ss:start].strip(" ,—–(")
        if before and not before.endswith(":") and before.split()[-1].lower() not in _ACC_OPEN:
            content = _strip(text, ss, start)
        else:
            cs, ce = _strip(text, seg_end, se)
            content = (cs, ce) if ce > cs else None
    elif passive:
        rule = "passive"
        cs, ce = _strip(text, cue_e, se)
        content = (cs, ce) if ce > cs else None
    elif asked_q:
        rule = "asked"
        cs, ce = _strip(text, cue_e, se)
        qm = _RE_CLAUSE_END.search(text, cue_e, se)
        if qm is not None and cue_s == ss:
            ce = qm.start()
        content = (cs, ce) if ce > cs else None
    elif form.endswith("ing") and not aux and text[max(ss, start - 4) : start].rstrip().endswith((",", "”", "''", '"')):
        # ", saying ..." / ", adding that ...": the source is the subject of the main clause
        rule = "participle"
        if prev_rec is not None and prev_rec["speaker_start"] is not None:
            sp = (prev_rec["speaker_start"], prev_rec["speaker_end"])
        else:
            sp = _main_subject(ctx, text, ss, start)
            if sp is None:
                return None
    elif form.endswith("ing") and not aux and prev in ("by", "in", "while", "after", "before", "as", "when", "for"):
        # "Trump landed in hot water by saying that ...": the subject of the sentence
        rule = "gerund"
        sp = _main_subject(ctx, text, ss, start)
        if sp is None:
            return None
    else:
        left = _left_source(ctx, text, max(ss, left_floor), start)
        if left is not None:
            sp = left[:2]
            rule = left[2]
        if (
            (sp is None and prev == "and" or rule == "coordinated_subject" and prev in ("and", "but"))
            and prev_rec is not None
            and prev_rec["speaker_start"] is not None
            and prev_rec["rule"] != "inverted"
        ):
            sp = (prev_rec["speaker_start"], prev_rec["speaker_end"])  # "X rejected the idea ... and said"
            rule = "coordinated_subject"
        if sp is None and _may_invert(text, ss, start, lemma):
            right = _right_source(ctx, text, cue_e, se)
            if right is not None:
                sp = right[:2]
                rule = "inverted"
        if sp is None:
            return None
        seg = text[sp[0] : sp[1]]
        if pos == "verb_noun":
            if not aux and (nxt_word in _NOUN_FOLLOWERS or (nxt_word.endswith("ed") and nxt_word != "need")):
                return _REJ["noun_next"]  # "claims rose", "reports of", "calls were": the cue form is a noun here
            ws = _words(seg)
            # "insurance claims rose": a noun use has a lower-case, non-source word before it
            if ws and not (ws[-1][0].isupper() or ws[-1].lower() in ctx.pronouns or _has_source_noun(ctx, ws)):
                return _REJ["noun_use"]
            if not aux and rule == "subject" and ws and ws[-1].lower() in ctx.pronouns and nxt_word in ("to",):
                pass
        if pos == "verb_evidence":
            ws = [w.lower() for w in _words(seg)]
            if not (set(ws) & ctx.nouns.get("evidence", set())) and nxt_word != "that":
                return None
        if pos == "cognition":
            ws = _words(seg)
            if not ws or ws[0].lower() in ("you", "it") or not (ws[0][0].isupper() or ws[0].lower() in ctx.pronouns):
                return None
    # -- content -------------------------------------------------------------------------------
    quote = None
    if content is None:
        content, quote = _content(ctx, text, ss, se, start, cue_e, sp, rule, lemma, quotes, block)
    # -- kind and quote --------------------------------------------------------------------------
    if content is not None:
        cs, ce = content
        inner = [(qs, qe) for qs, qe in quotes if qs >= cs and qe <= ce + 1 and qe > qs]
        if quote is None and inner:
            quote = (inner[0][0], inner[-1][1])
        quoted = sum(qe - qs for qs, qe in inner)
        if inner and quoted >= 0.8 * (ce - cs) and text[cs] in _OPEN_Q:
            kind = "direct"
        elif inner:
            kind = "mixed"
        else:
            kind = "indirect"
    else:
        kind = "indirect"
    # -- speaker -------------------------------------------------------------------------------
    if sp is not None:
        speaker = text[sp[0] : sp[1]]
        if rule == "relative_pronoun":  # "Sanders, who had said ...": classify the antecedent
            am = _TRAIL_NAME.search(text[ss : sp[0]].rstrip(" ,"))
            source_type, canonical = ctx.classify(am.group(0)) if am else ("pronoun_unresolved", None)
        elif rule == "appositive":  # "Ingrid Solberg, a trade economist at ...": classify the name
            source_type, canonical = ctx.classify(speaker.split(",", 1)[0])
        elif options.resolve_pronouns:
            source_type, canonical = ctx.classify(speaker)
        else:
            source_type, canonical = ctx.classify(speaker)
            if speaker.lower() in ctx.pronouns:
                source_type, canonical = "pronoun_unresolved", None
    else:
        speaker, source_type, canonical = None, "unnamed", None
    end = cue_e
    if start >= end:
        return None
    if quote is not None:
        quote = (max(0, quote[0]), min(len(text), quote[1]))
    return _relation(text, (start, end), lemma, cue_class, sp, source_type, canonical, quote, content, kind, rule)


def _has_source_noun(ctx: _Ctx, ws: list[str]) -> bool:
    s = {w.lower() for w in ws}
    return not s.isdisjoint(ctx.heads)


def _is_headline(text: str, block: tuple[int, int]) -> bool:
    """A title-cased line ("Russia Says It Is Unhappy"): capitalised cues are allowed there."""
    if block[1] - block[0] > 300:
        return False
    ws = _words(text[block[0] : block[1]])
    if len(ws) < 3 or len(ws) > 30:
        return False
    caps = sum(1 for w in ws if w[0].isupper())
    return caps >= 0.6 * len(ws)


_ADVERBIAL: Final = re.compile(
    r"(?:in|on|at|during|last|this|earlier|later|late|early|via|from|over|with|through|before|after|when|"
    r"while|to|as|repeatedly|also|then|again|recently|previously|told|yesterday|today|tonight|afterward|"
    r"afterwards|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?![’']s\b)",  # not "Thursday's speeches"
    re.IGNORECASE,
)
_SUBORDINATE: Final = re.compile(
    r"\s*(?:[“\"]\s*)?(?:while|although|though|even\s+though|even\s+as|even\s+if|when|whenever|if|since|after|before|"
    r"because|unless|whereas|once|until)\b",
    re.IGNORECASE,
)
# "that" or an opening quotation mark; each alternative starts with a character, so that the regex
# engine skips ahead to those characters (as fast as ``\bthat\b|[“"‘]`` is slow)
_THAT: Final = re.compile(r"t(?<!\w.)hat\b|“|\"|‘")
_CLAUSE_LEMMAS: Final = (
    frozenset("say add note argue claim insist explain acknowledge suggest predict believe think".split())
)
_TAIL_CLAUSE: Final = re.compile(
    r"\s+(?:he|she|they|it|we|i|the|a|an|his|her|their|its|our|this|these|those)\s+"
    r"(?!(?:day|other|next|last|same|week|month|year|morning|afternoon|evening|night|time|following|statement|"
    r"interview|crowd|audience|reporters?|press)\b)[\w’'\-]+\s+[\w’'\-]+\s+[\w’'\-]+",
)
_INTRO_LEAD: Final = re.compile(
    r"\s*(?:in|on|at|after|before|during|since|as|when|while|once|until|with|without|despite|following|for|from|"
    r"last|this|earlier|later|offstage|meanwhile|today|yesterday|tonight|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)


_INTRO_QUOTE: Final = re.compile(
    r"\s*(?:(?:when|while|after|before|if)\s+)?(?:asked|as\s+for|in|on|at|after|before|during|with|of|for|from|"
    r"since|following|despite|regarding)\b",
    re.IGNORECASE,
)
_INTRO_WORD: Final = re.compile(
    r"\s*(?:[a-z]+ly|overall|still|however|meanwhile|instead|now|then|later|today|yesterday|moreover|indeed|"
    r"nonetheless|nevertheless|also|first|second|third|finally|again|afterward|afterwards|separately)\s*,\s*",
    re.IGNORECASE,
)
_THAT_LEAD: Final = re.compile(r"\s*that\s")


def _is_title(text: str, qs: int, qe: int) -> bool:
    """A short quotation whose words are capitalised ("“An American Son.”", "“Meet the Press”"): a title."""
    ws = _words(text[qs:qe])
    return 0 < len(ws) <= 6 and all(w[0].isupper() for w in ws if len(w) > 3) and ws[0][0].isupper()


_OBJECT_TAIL: Final = re.compile(
    r"\s+(?:(?:up|out|back)\s+)?(?:(?:about|to|on|with|at|for|of|against)\s+)?(?:the|a|an|his|her|their|its|our|my|"
    r"your|this|these|those|it|them|him|being|how|what|why)\b",
    re.IGNORECASE,
)


def _content(ctx: _Ctx, text: str, ss: int, se: int, start: int, cue_e: int, sp: tuple[int, int] | None,
             rule: str | None, lemma: str, quotes: list[tuple[int, int]], block: tuple[int, int]):
    """The reported content: after the cue ("said that ..."), or before the source ("..., he said")."""
    tail_s, tail_e = _strip(text, cue_e, se)
    tail = text[tail_s : min(tail_e, tail_s + 200)]  # the start of the tail decides its role
    if lemma == "decline to comment" and (k := text.find(" to ", start, cue_e)) != -1:
        # "A spokeswoman declined [to comment].": the refused statement itself, unless an object follows
        # ("declined to comment on [the report]", "declined to say [who ...]"); never a post-posed text
        obj = _prep_object(text, tail_s, tail_e, lemma, quotes) if tail else None
        if obj is not None:
            return (tail_s, obj[1]), None
        if not tail or not _WORD.search(tail) or (_ADVERBIAL.match(tail) and len(_words(tail)) <= 3):
            return (k + 1, cue_e), None
    if (
        lemma == "ask"
        and (sp is None or sp[0] >= cue_e)
        and tail
        and (start == ss or _prev_word(text, start, ss) == "when")
    ):
        # "Asked on Fox News [who leads the party], he said Ryan": the question put, to the clause's comma
        qm = _RE_CLAUSE_END.search(text, tail_s, tail_e)
        ce = _strip(text, tail_s, qm.start())[1] if qm is not None else tail_e
        if ce > tail_s:
            return (tail_s, ce), None
    if sp is not None and sp[1] <= start and sp[0] > ss and rule != "inverted":
        gap = _gap_head(text, ss, sp[0], cue_e, tail_e)
        if gap is not None:
            return gap, None
    # "“…,” she said several months later" / "“…,” Gowdy said sarcastically": a quotation closed
    # right before the source is the content, whatever follows the cue (unless "that", ":", a quote)
    head = min(sp[0] if sp is not None else start, start)
    pre_end = len(text[ss:head].rstrip()) + ss
    lo = ss
    if pre_end == ss and ss > block[0] and text[ss - 1].isspace() and "\n" not in text[max(block[0], ss - 3) : ss]:
        # "“That would be you?” Borger asked.": a quotation ending in "?" or "!" closes the sentence
        # before the source; it is still the content
        k = len(text[max(block[0], ss - 3) : ss].rstrip()) + max(block[0], ss - 3)
        if k - 2 >= block[0] and text[k - 2] in "?!":
            pre_end = k
            lo = block[0]
    # "Asked whether Clinton “has the integrity ...,” 75 percent said [yes]", "As for Carson's mangling of
    # “Hamas,” Levine found ...": a quotation inside an introductory phrase is not the source's statement
    intro_quote = False
    if lo == ss and pre_end > lo and text[pre_end - 1] in "”\"'" and _INTRO_QUOTE.match(text, lo, pre_end):
        for qs, qe in quotes:
            if qe == pre_end:
                lead_in = text[lo:qs].rstrip()
                intro_quote = bool(lead_in) and not any(c in lead_in for c in ",;:—–()")
                break
    quote_before = (
        not intro_quote
        # "“…,” he said, adding that ...": the quote is the said's
        and rule not in ("participle", "gerund", "main_subject")
        and pre_end > lo
        and text[pre_end - 1] in "”\"'"
        and any(qe == pre_end for _, qe in quotes)
        and not _RE_THAT_OR_QUOTE.match(text, cue_e)
        # "“Orange is the New Black” star Dascha Polanco opened up ...": a title, not a statement
        and (pre_end - 2 < lo or text[pre_end - 2] in ",.?!…—–-'’\"")
        # "“…,” referencing [the large number ...]", "... as “terrible,” denounced [her record]": a cue
        # other than a verb of saying with its own object
        and not (lemma not in _QUOTATIVE and lemma not in _TO_ADDRESSEE and _OBJECT_TAIL.match(text, cue_e))
        and not (
            sp is not None and sp[1] <= start and lemma in _CLAUSE_LEMMAS and _TAIL_CLAUSE.match(text, cue_e, se)
        )
    )  # "“Marco! Marco!,” the senator said [his campaign here was closing strong]": the clause is the content
    if not tail and text.startswith(":", cue_e) and text.find("\n", cue_e, se + 2) != -1:
        # "The governor added:" closing its paragraph: the next paragraph is the content
        ns = cue_e + 1
        while ns < len(text) and text[ns].isspace():
            ns += 1
        ne = text.find("\n", ns)
        cs, ce = _strip(text, ns, len(text) if ne == -1 else ne)
        if ce > cs:
            return (cs, ce), None
    # "X said of Y, “...”" / "X told MSNBC in an interview: “...”": the quotation is the content
    said_at = -1  # "confirmed [she had been] and said, “...”": a verb of saying between cue and quote
    refused_q = -1
    for qs, qe in quotes:
        if qs < cue_e:
            continue
        lead = text[cue_e:qs]
        if qs <= se + 2 and len(lead) <= 120 and (lead.rstrip().endswith((",", ":")) or not lead.strip()):
            said_at = _said_in(ctx, text, cue_e, qs)
            if said_at != -1 or _THAT_LEAD.match(lead) or (lead.strip(" ,:") and _is_title(text, qs, qe)):
                # the quotation is that verb's; the cue has its own "that" clause ("When Trump suggested
                # [that Cuba would sue ...], Rubio fired back: “...”"); "said in his book, “An American Son.”"
                refused_q = qs
                break
            if (
                rule != "inverted"
                and not quote_before
                and not _QUOTE_CLOSE_BEFORE.search(text, max(ss, start - 4), start)
            ):
                return (qs, qe), (qs, qe)
        break
    substantive = False
    if tail and _WORD.search(tail):
        t = _THAT.search(tail)
        if (
            t
            and tail_s + t.start() != refused_q
            and len(_words(tail[: t.start()])) <= 8
            and (
                t.start() == 0
                or _ADVERBIAL.match(tail)
                or lemma in ("tell", "ask", "inform", "warn", "remind", "assure", "urge")
            )
        ):
            tail_s += t.start()
            substantive = True
        elif lemma in ("tell", "ask", "inform"):
            substantive = len(_words(tail)) > 5 and not _ADVERBIAL.match(tail)
        else:
            substantive = not _ADVERBIAL.match(tail)
            if lemma in (
                "call on",
                "call for",
                "warn",
                "urge",
                "vow",
                "pledge",
                "promise",
                "accuse",
                "praise",
                "criticize",
            ):
                substantive = True
            elif tail.startswith("to ") and lemma not in _TO_ADDRESSEE:
                substantive = True  # "wants to compromise", "threatened to run"
    src_start = sp[0] if sp is not None else start
    head_end = min(src_start, start)
    pre = text[ss:head_end]
    pre_ends_sep = pre.rstrip()[-1:] in ',”"’—–:' if pre.strip() else False
    quote = None
    if (
        not substantive
        and pre_ends_sep
        and not quote_before
        and rule != "inverted"
        and text[cue_e : cue_e + 1] != ","
        and len(_words(tail)) >= 3
        and (_INTRO_LEAD.match(pre) or pre.rstrip()[-1] in "—–" and len(_words(pre)) <= 4)
    ):
        # "Friday morning, as the parade rolled through Pasadena, CNN reported at least six ...",
        # "MACAU (Reuters) – Adelson said on Friday he met ...": an introductory phrase or a
        # dateline before the source is not a post-posed content; the tail is the content
        substantive = True
    if (
        not substantive
        and (intro_quote or pre_ends_sep and _INTRO_WORD.fullmatch(pre))
        and rule != "inverted"
        and _WORD.search(tail)
    ):
        # "Overall, Democrats appeared pleased [with Clinton]": a sentence adverb is not a post-posed content
        substantive = True
    if not substantive and not pre_ends_sep and pre.strip() and not quote_before and rule != "inverted" and tail:
        # "While many agreed with [much of his speech]", "Adelson ..., and his spokesman declined
        # to comment [on the report]": text before the source that does not end in a separator is
        # not a post-posed content; the adverbial-led tail is the content
        substantive = _WORD.search(tail) is not None
    if (
        rule == "inverted"
        or quote_before
        or (not substantive and pre.strip())
        or (pre_ends_sep and text[cue_e : cue_e + 1] == ",")
    ):
        # post-posed: "“…,” he said" / "…, officials said" / "X, he said, Y"
        q = None
        for qs, qe in quotes:
            if qe <= head_end and not text[qe:head_end].strip(" ,—–"):
                q = (qs, qe)
        if q is not None:
            content = q
            quote = q
            for qs, qe in quotes:  # a following quote with no cue of its own continues the statement
                if qs < cue_e:
                    continue
                if qs < se:  # "“A,” he told the host, “B.”"
                    if qs - cue_e <= 60 and text[max(cue_e, qs - 3) : qs].rstrip().endswith(","):
                        content = (q[0], qe)
                elif not text[se:qs].strip():
                    content = (q[0], qe)
                break
            return content, quote
        cs, ce = _strip(text, ss, ss + len(pre.rstrip()))
        if ce <= cs:
            return None, None
        if text[cue_e : cue_e + 1] == "," and pre_ends_sep and substantive:
            ce = tail_e  # "Kyiv's allies, he said, had not supplied ..."
        return (cs, ce), None
    if substantive and tail_e > tail_s:
        ce = tail_e
        lead_m = _SAID_LEAD.search(text, tail_s, said_at) if tail_s < said_at < ce else None
        if lead_m is not None:
            cut = _strip(text, tail_s, lead_m.start())[1]
            ce = cut if cut > tail_s else ce
        for qs, qe in quotes:  # a quotation opened in the content may run past the sentence end
            if tail_s <= qs < ce and qe > ce:
                ce = qe
        if _SUBORDINATE.match(text, ss, head_end) and "," not in text[ss:head_end]:
            # "While Comey said [there was ... information], he said ...": a report inside an
            # introductory subordinate clause ends where the main clause begins (its first comma)
            k = tail_s
            while (k := text.find(",", k, ce)) != -1:
                if not any(qs < k < qe for qs, qe in quotes):
                    ce = _strip(text, tail_s, k)[1]
                    break
                k += 1
        return (tail_s, ce), None
    if tail:
        obj = _prep_object(text, tail_s, tail_e, lemma, quotes)
        if obj is not None:
            return obj, None
    return None, None


# A verb of saying that introduces a quotation by itself ("..., saying", "and added", "he told X,"):
# -ing and past forms and the -s forms that are not nouns ("notes", "reports", "tweets" are)
_SAID_WORD: Final = re.compile(
    r"(?<![\w’'\-])([a-z]+(?:ing|ed)|said|says|told|tells|wrote|writes|adds|asks)(?![\w’'\-])"
)
_SAY_LEMMAS: Final = _QUOTATIVE | _TO_ADDRESSEE
_SAID_LEAD: Final = re.compile(
    r"(?:[\s,;:—–]+(?:and|but|then|when|while|as|after|before|he|she|they|it|we|i|who|[a-z]+ly))*[\s,;:—–]*$",
    re.IGNORECASE,
)


_BY_SAYING: Final = re.compile(r"(?<![\w’'])by\s+$")  # "continued by saying, “…”": one cue, its quotation
_SAID_GAP: Final = re.compile(r"[^“”\"]{0,50}$")
_SAID_GAP_STOP: Final = re.compile(r"\s(?:to|that|if|whether)\s")


def _said_in(ctx: _Ctx, text: str, s: int, e: int) -> int:
    """Start of a verb of saying in text[s:e] (lower-case forms of the cue lexicon) that introduces
    the quotation at ``e`` itself ("..., saying at one point, “", "and told Fox News, “"), or -1."""
    for m in _SAID_WORD.finditer(text, s, e):
        entry = ctx.cues.get(m.group(1))
        if (
            entry is not None
            and entry[0] in _SAY_LEMMAS
            and _SAID_GAP.match(text, m.end(1), e)
            and not _SAID_GAP_STOP.search(text, m.end(1) - 1, e)
            and not _BY_SAYING.search(text, max(s, m.start(1) - 20), m.start(1))
        ):
            return m.start(1)
    return -1


# "[a deal] she once supported -", "[the question] nobody asked was", "[what] we proposed, I believe":
# the source follows a noun phrase (or "what") with no separator and the cue has no object after it
# (a separator, an adverbial or a finite verb follows): the cue's object is the head before the source
_GAP_HEAD: Final = re.compile(
    r"(?<![\w’'])(what|whatever|(?:the|a|an|this|these|those|something|anything|everything|some|any|his|her|"
    r"their|its|our)(?:\s+[\w’'\-$]+){0,4}?)\s+(?:that\s+|which\s+|whom\s+)?$",
    re.IGNORECASE,
)
_GAP_TAIL: Final = re.compile(
    r"\s*(?:[,.;—–)]|-\s|$|(?:about|to|on|for|with|at|of)(?=\s*[,.;]|\s+(?:now|with|in|at|by|for|on|from|during|"
    r"last|this)\b)|(?:in|at|by|during|from|now|well|last|this|recently|again|later|"
    r"is|was|are|were|makes|made|has|have|had|will|would|comes|came|remains|seems)\b)",
)
_GAP_NOT_HEAD: Final = frozenset("day days time times way moment year years week weeks night reason result".split())
_GAP_STOP: Final = frozenset(
    "and or but in on at by for with about to from of as than said says told is was are were has have had "
    "be been who which that when while if because after before during".split()
)


def _gap_head(text: str, ss: int, src_s: int, cue_e: int, tail_e: int) -> tuple[int, int] | None:
    if src_s - 2 < ss or not text[src_s - 1].isspace() or not text[src_s - 2].isalnum():
        return None  # a word, not a separator, right before the source
    m = _GAP_TAIL.match(text, cue_e)
    if m is None:
        return None
    k = text.find(",", cue_e, tail_e)
    clause = text[cue_e : k if k != -1 else tail_e]
    if _THAT.search(clause) or text.startswith(":", cue_e):
        return None
    g = _GAP_HEAD.search(text, max(ss, src_s - 60), src_s)
    if g is None:
        return None
    words = g.group(1).lower().split()
    if any(w in _GAP_STOP or w in _PREPS for w in words[1:]) or words[-1] in _GAP_NOT_HEAD:
        return None
    if g.start(1) > ss and text[g.start(1) - 1 : g.start(1)].isalnum():
        return None
    before = text[max(ss, g.start(1) - 12) : g.start(1)].split()
    if before and before[-1].lower() in _PREPS:  # "at [the now-defunct] National Review wrote"
        return None
    return g.start(1), g.end(1)


# "insisted on [building a wall]", "declined to comment on [the report]", "warned of [...]", "sided
# with [the Democrats]": a cue whose tail is a governed preposition and its object (not a time, a
# number or a medium: "said on Monday", "wrote on Twitter")
_PREP_OBJECT: Final = re.compile(
    r"(?:(?:up|out|back|down|off|again|also|publicly|repeatedly|[a-z]+ly)\s+)?"
    r"(on|about|of|for|with|at|against|over|to)\s+(?=[\w“\"‘])",
    re.IGNORECASE,  # title-case headlines: "Zoe Saldana Responds To [Anti-Immigrant Hate]"
)
_PREP_NOT_OBJECT: Final = re.compile(
    r"(?:\d|(?:the\s+|a\s+|an\s+|this\s+|that\s+|last\s+|next\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"day|days|week|weeks|month|months|year|years|night|morning|afternoon|evening|weekend|time|times|moment|"
    r"twitter|facebook|instagram|tv|television|radio|cnn|msnbc|fox|abc|nbc|cbs|npr|the\s+phone|phone|"
    r"camera|length|least|first|once|all|times|behalf|point|rally|news\s+conference|press\s+conference|"
    r"reporters|interview|stage|campaign\s+trail|event|me|him|her|them|us|you)\b)",
    re.IGNORECASE,
)
_PREP_ANSWER: Final = frozenset("respond reply".split())
_PREP_SAY: Final = frozenset("say tell add write report explain respond reply speak announce state".split())
_PREP_CLAUSE_END: Final = re.compile(r"[,;:—–()]|\s(?:while|because|although|but|as|when|after|before|despite)\s")


def _prep_object(text: str, s: int, e: int, lemma: str, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    m = _PREP_OBJECT.match(text, s, e)
    if m is None:
        return None
    prep = m.group(1).lower()
    if lemma in _PREP_SAY and prep != "about" and not (prep == "to" and lemma in _PREP_ANSWER):
        return None  # "respond to [a request for comment]", but not "said to reporters"
    os_ = m.end()
    if _PREP_NOT_OBJECT.match(text, os_, e):
        return None
    oe = e
    k = os_
    while (c := _PREP_CLAUSE_END.search(text, k, oe)) is not None:
        if any(qs < c.start() < qe for qs, qe in quotes):
            k = c.end()
            continue
        oe = c.start()
        break
    cs, ce = _strip(text, os_, oe)
    return (cs, ce) if ce > cs else None


_LABEL: Final = (
    re.compile(r"((?:[A-Z][\w’'.\-]*|of|de|van|von)(?:\s+(?:[A-Z][\w’'.\-]*|of|de|van|von)){0,3})\s*:\s+(?=\S)")
)
_NOT_LABELS: Final = frozenset(
    "update updated watch read note editor’s editor's related source image photo photos video getty credit "
    "correction clarification warning disclaimer listen see also advertisement caption q a contributing twitter "
    "email e-mail facebook instagram follow just exclusive wow breaking boom opinion analysis commentary live "
    "topics tags filed posted published by".split()
)


def _colon(ctx: _Ctx, text: str, ss: int, se: int, quotes: list[tuple[int, int]], block: tuple[int, int],
           options: Options | None) -> dict[str, Any] | None:
    """ "Name: content" at the start of a paragraph (headline or transcript label), or "..., Name: “quote”"."""
    # a quoted transcript opens each speaker's paragraph with a quotation mark: "“WALLACE: Let's start ..."
    turn = ss == block[0] and se - ss > 1 and text[ss] in "“\"" and text[ss + 1].isupper()
    m = _LABEL.match(text, ss + 1 if turn else ss, se)
    rule = "colon_label"
    if m is None or (not turn and _inside(ss, quotes)):
        return None
    label = m.group(1)
    ws = _words(label)
    if not ws or any(w.lower() in _NOT_LABELS for w in ws) or ws[0].lower() in _PREPS:
        return None
    if len(ws) == 1 and (ws[0].isupper() and not turn or ws[0].endswith(("ed", "ing"))):
        return None  # "BOOM:", "EMAIL:", "Revealed:", "Breaking:" are kickers, not speakers
    colon = text.index(":", m.end(1))
    cs, ce = _strip(text, m.end(), block[1] if turn or text[m.end()] in _OPEN_Q else se)
    if ce <= cs:
        return None
    source_type, canonical = ctx.classify(label)
    inner = [(qs, qe) for qs, qe in quotes if qs >= cs and qe <= ce + 1]
    kind = (
        "direct"
        if inner and text[cs] in _OPEN_Q and sum(e - s for s, e in inner) >= 0.8 * (ce - cs)
        else ("mixed" if inner else "indirect")
    )
    return {
        "start": colon,
        "end": colon + 1,
        "cue": ":",
        "cue_lemma": ":",
        "cue_class": "neutral",
        "speaker": label,
        "speaker_start": m.start(1),
        "speaker_end": m.end(1),
        "canonical_speaker": canonical,
        "quote_start": inner[0][0] if inner else None,
        "quote_end": inner[-1][1] if inner else None,
        "content_start": cs,
        "content_end": ce,
        "kind": kind,
        "source_type": source_type,
        "rule": rule,
    }


def _relation(text: str, cue: tuple[int, int], lemma: str, cue_class: str, sp: tuple[int, int] | None,
              source_type: str, canonical: str | None, quote: tuple[int, int] | None,
              content: tuple[int, int] | None, kind: str, rule: str | None) -> dict:
    """One attribution record (the keys of the contract in docs/architecture.md)."""
    return {
        "start": cue[0],
        "end": cue[1],
        "cue": text[cue[0] : cue[1]],
        "cue_lemma": lemma,
        "cue_class": cue_class,
        "speaker": text[sp[0] : sp[1]] if sp else None,
        "speaker_start": sp[0] if sp else None,
        "speaker_end": sp[1] if sp else None,
        "canonical_speaker": canonical,
        "quote_start": quote[0] if quote else None,
        "quote_end": quote[1] if quote else None,
        "content_start": content[0] if content else None,
        "content_end": content[1] if content else None,
        "kind": kind,
        "source_type": source_type,
        "rule": rule,
    }


def _block_quotes(text: str, block: tuple[int, int], cache: dict | None = None) -> list[tuple[int, int]]:
    """Quotation spans of one block (the quote scan is skipped when the block has no quote mark).

    ``cache`` (block -> spans, for one ``text``) saves the second scan of a block; callers
    must not modify the returned list.
    """
    if cache is not None:
        hit = cache.get(block)
        if hit is not None:
            return hit
    btxt = text[block[0] : block[1]]
    if "“" in btxt or '"' in btxt or "‘" in btxt or "''" in btxt or "«" in btxt:
        spans = _quote_spans(text, block[0], block[1])
    else:
        spans = []
    if cache is not None:
        cache[block] = spans
    return spans
