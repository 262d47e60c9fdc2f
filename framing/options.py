"""One options object shared by the Python API, config files and the CLI.

After trafilatura's ``settings.py``: every knob that changes what the toolkit
finds lives here, with its default, so that a run can be recorded and
reproduced exactly (:meth:`Options.to_dict`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from framing.errors import FramingError

__all__ = ["Options"]


@dataclass
class Options:
    """What to extract and how.

    Parameters
    ----------
    body_only : bool
        Report attributions, hedges and actor mentions on body text only (not boilerplate).
    repetition_min_docs : int
        A block repeated verbatim (after normalisation) in at least this many articles of the
        same outlet is boilerplate of kind ``repeated``.
    repetition_min_chars : int
        Blocks shorter than this are never counted as repeated (headings like "Comments" are
        caught by patterns instead).
    resolve_pronouns : bool
        Resolve "he said" / "Mr Cho said" to the last matching named speaker.
    attribution_model : bool
        Add the cues found by the learned second stage of the attribution extractor
        (``framing/models/attribution_cues.json``) to those of the word-list rules. Off: rules only
        (higher precision, lower recall; see the attribution model card).
    attribution_univocal : bool
        Follow a univocal annotation convention (PolNeAR: every token in at most one attribution):
        drop the reports nested in another report's content ("Reid claimed that a source [told]
        him ...") that the learned record verifier (``framing/models/attribution_records.json``)
        judges left out by such annotators. Off: nested reports are kept, since they name who
        else is given a voice. The PolNeAR evaluation turns it on.
    encoder : bool
        Also read the text with the optional contextual encoder (all-MiniLM-L6-v2, the ``encoder``
        extra; see :mod:`framing.encoder`): each actor mention's sentiment mixes the linear model
        with a head on its vectors, and the learned attribution cue stage adds the fine-tuned cue
        tagger (:mod:`framing.extractors.attribution_encoder`). More accurate (NewsMTSC and PolNeAR
        dev figures in the model cards), about 1 s per 750-word article instead of a few ms. Off:
        the fast linear models only.
    actors : str or Path or None
        A TSV file of extra actor aliases (same columns as the built-in ``actors`` lexicon).
    lexicons : dict
        Extra entries per lexicon name, e.g. ``{"hedges": "my_hedges.tsv"}``.
    max_chars : int
        Articles longer than this many characters are reported as errors instead of analysed.
    """

    body_only: bool = True
    repetition_min_docs: int = 3
    repetition_min_chars: int = 25
    resolve_pronouns: bool = True
    attribution_model: bool = True
    attribution_univocal: bool = False
    encoder: bool = False
    actors: str | Path | None = None
    lexicons: dict[str, str] = field(default_factory=dict)
    max_chars: int = 5_000_000

    def validate(self) -> Options:
        """Check values; raise :class:`FramingError` with a clear message when one is wrong.

        Examples
        --------
        >>> Options(repetition_min_docs=1).validate()
        Traceback (most recent call last):
        ...
        framing.errors.FramingError: [E110] repetition_min_docs must be >= 2, got 1
        """
        if self.repetition_min_docs < 2:
            raise FramingError("E110", f"repetition_min_docs must be >= 2, got {self.repetition_min_docs}")
        if self.repetition_min_chars < 0:
            raise FramingError("E111", "repetition_min_chars must be >= 0")
        if self.max_chars < 1:
            raise FramingError("E112", "max_chars must be >= 1")
        for name, path in self.lexicons.items():
            if not Path(path).is_file():
                raise FramingError("E113", f"extra lexicon file for {name!r} not found: {path}")
        if self.actors is not None and not Path(self.actors).is_file():
            raise FramingError("E114", f"actor alias file not found: {self.actors}")
        if self.encoder:
            from framing.encoder import INSTALL_HINT, available

            if not available():
                raise FramingError("E150", f"encoder=True needs the optional encoder; install it with: {INSTALL_HINT}")
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable record of these options."""
        d = asdict(self)
        d["actors"] = None if self.actors is None else str(self.actors)
        d["lexicons"] = {k: str(v) for k, v in self.lexicons.items()}
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Options:
        """Options from a dict (unknown keys are an error, so typos do not pass silently)."""
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise FramingError("E115", f"unknown option(s): {', '.join(sorted(unknown))}")
        return cls(**d)
