"""``framing show FILE``: turn an article file, a corpus file or an analysis folder into a view."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError

if TYPE_CHECKING:
    from framing.analysis import Analysis

__all__ = ["show_file", "worksheet_file", "load_for_view", "pick_doc"]

log = logging.getLogger(__name__)


def load_for_view(file: str | Path) -> Analysis:
    """An :class:`~framing.analysis.Analysis` of ``file``: loaded if it is an analysis folder, else analysed."""
    from framing.analysis import Analysis

    p = Path(file)
    if not p.exists():
        raise FramingError("E000", f"no such file or folder: {p}")
    if p.is_dir() and (p / "articles.parquet").is_file():
        return Analysis.load(p)
    from framing.api import analyze

    return analyze(p)


def pick_doc(analysis: Analysis, doc_id: str | None, source: str | Path = "input") -> str:
    """The doc_id to show: ``doc_id`` if given (and present), else the only article; a clear error otherwise."""
    ids = [str(d) for d in analysis.articles.doc_id] if len(analysis.articles) else []
    if doc_id is not None:
        if str(doc_id) in ids:
            return str(doc_id)
        err = analysis.errors
        if len(err) and (err.doc_id.astype(str) == str(doc_id)).any():
            r = err[err.doc_id.astype(str) == str(doc_id)].iloc[0]
            raise FramingError("E401", f"article {doc_id!r} could not be analysed: [{r.code}] {r.reason}")
        shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
        raise FramingError("E400", f"no article with doc_id {doc_id!r} in {source}; ids: {shown or 'none'}")
    if len(ids) == 1:
        return ids[0]
    if not ids:
        reasons = "; ".join(f"{r.doc_id}: [{r.code}] {r.reason}" for r in analysis.errors.head(3).itertuples())
        raise FramingError("E404", f"no article could be analysed in {source}" + (f" ({reasons})" if reasons else ""))
    shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
    raise FramingError("E405", f"{source} holds {len(ids)} articles; choose one with --doc-id (ids: {shown})")


def show_file(file: str | Path, output: str | Path | None = None, doc_id: str | None = None) -> str:
    """Render one article of ``file``.

    Parameters
    ----------
    file : path
        An article (``.txt``/``.html``), a corpus file or folder, or an analysis output folder.
    output : path, optional
        Write a self-contained HTML page here and return its path; without it, return the
        terminal rendering (text with inline marks and a numbers panel).
    doc_id : str, optional
        Which article, when ``file`` holds several.
    """
    from framing.view.html import render_article
    from framing.view.terminal import render_terminal

    analysis = load_for_view(file)
    chosen = pick_doc(analysis, doc_id, file)
    if output is None:
        return render_terminal(analysis, chosen)
    path = render_article(analysis, chosen).save(output)
    log.info("wrote %s", path)
    return str(path)


def worksheet_file(file: str | Path, output: str | Path, doc_id: str | None = None, exercise: str = "who-speaks",
                   answers: bool = False) -> str:
    """``framing worksheet FILE -o sheet.html``: a printable worksheet for one article of ``file``."""
    from framing.view.worksheet import write_worksheet

    analysis = load_for_view(file)
    chosen = pick_doc(analysis, doc_id, file)
    return str(write_worksheet(analysis, chosen, output, exercise=exercise, answers=answers))
