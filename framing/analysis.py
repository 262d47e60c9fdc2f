"""The result of an analysis: tidy tables, provenance, save/load, display.

Tables (pandas DataFrames, stable documented columns; offsets index into the
article's ``text`` as read, as nullable integers):

``articles``
    one row per analysed article: metadata and per-article features
    (see :data:`framing.pipeline.ARTICLE_COLUMNS`).
``attributions``, ``hedges``, ``mentions``, ``boilerplate``
    one row per finding (see :data:`framing.pipeline.TABLE_COLUMNS`).
``errors``
    one row per article (or file) that could not be read or analysed, with
    ``doc_id, source, code, severity, reason``; warnings (e.g. a renamed
    duplicate id) have ``severity == "warning"`` and their article *was* analysed.
``texts``
    ``doc_id, text``: the texts the offsets point into.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.corpus.reader import ERROR_COLUMNS
from framing.errors import FramingError
from framing.pipeline import ARTICLE_COLUMNS, TABLE_COLUMNS, DocResult

if TYPE_CHECKING:
    from framing.view.html import ArticleView

__all__ = ["Analysis", "TableRows", "atomic_write_parquet", "atomic_write_text"]

_INT_COLUMNS = {"start", "end", "speaker_start", "speaker_end", "quote_start", "quote_end",
                "content_start", "content_end", "sentiment_label"}
_TEXT_COLUMNS = {"doc_id", "outlet", "title", "date", "url", "source", "top_actor", "cue", "cue_lemma", "cue_class",
                 "speaker", "canonical_speaker", "kind", "source_type", "rule", "category", "actor", "alias",
                 "code", "severity", "reason", "text"}
TABLES = ["articles", *TABLE_COLUMNS, "errors", "texts"]


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename (readers never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as Parquet through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_NONE = type(None)
_INT_TYPES = frozenset({int, _NONE})
_FLOAT_TYPES = frozenset({float, int, _NONE})
_TEXT_TYPES = frozenset({str, _NONE})


def _int_array(values: list[Any], types: set[type]) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values, dtype="Int64")`` for a list of ``int`` and None, built from numpy arrays (faster)."""
    if _NONE in types:
        obj = np.array(values, dtype=object)
        mask = obj == None  # noqa: E711 - elementwise comparison, not an identity test
        data = np.where(mask, 0, obj).astype(np.int64)
    else:
        data = np.array(values, dtype=np.int64)
        mask = np.zeros(len(values), dtype=bool)
    return pd.arrays.IntegerArray(data, mask)


def _plain_frame(cols: list[str], rows: list[dict[Any, Any]]) -> pd.DataFrame | None:
    """The table built column by column, when every value has the plain type its column expects.

    Offsets must be ``int`` or None, ``sentiment`` a number or None, text columns ``str`` or None
    (what the extractors produce). Such a table comes out exactly as the general path of
    :func:`table_frame` would give it, without pandas inferring each column from a list of dicts
    and turning the text columns into Arrow strings and back (most of the cost of a large
    ``attributions`` table). Returns None when any value (or key) is not plain: the general path
    then decides, as it always did.
    """
    try:
        return _plain_frame_of_columns(cols, _as_columns(cols, rows))
    except (KeyError, TypeError):
        return None


def _as_columns(cols: list[str], rows: list[dict[Any, Any]]) -> dict[str, list[Any]]:
    """``rows`` as one list of values per column of ``cols``; KeyError (or TypeError) when a row lacks one."""
    return {c: list(map(itemgetter(c), rows)) for c in cols}


def _plain_frame_of_columns(cols: list[str], columns: dict[str, list[Any]]) -> pd.DataFrame | None:
    """:func:`_plain_frame` for a table already held as one list of values per column."""
    data: dict[str, Any] = {}
    try:
        for c in cols:
            values = columns[c]
            types = set(map(type, values))
            if c in _INT_COLUMNS and types <= _INT_TYPES:
                data[c] = _int_array(values, types)
            elif c == "sentiment" and types <= _FLOAT_TYPES:
                data[c] = np.array(values, dtype=float)  # None becomes NaN, as in the general path
            elif c in _TEXT_COLUMNS and c not in _INT_COLUMNS and types <= _TEXT_TYPES:
                data[c] = pd.Series(values, dtype=object)  # None stays None
            else:
                return None
    except (KeyError, TypeError, OverflowError):
        return None
    return pd.DataFrame(data, columns=cols)


class TableRows:
    """The rows of every table, gathered batch by batch; the finding tables are kept as columns.

    This is what a worker process sends back for a batch of articles (lists of plain values
    unpickle much faster than a dict per row) and what the parent adds up, so that building the
    DataFrames at the end is the only table work left to it. One path for every engine:
    :meth:`Analysis.from_results` goes through it too, so the tables cannot depend on ``n_jobs``.
    """

    def __init__(self) -> None:
        self.articles: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.doc_ids: list[str] = []  # analysed articles, in order: the rows of ``texts``
        self.columns: dict[str, dict[str, list[Any]]] = {t: {c: [] for c in cols} for t, cols in TABLE_COLUMNS.items()}
        # A table whose rows lack one of its columns (not what the pipeline gives) is kept as rows.
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add_results(self, results: Iterable[DocResult]) -> TableRows:
        """Add per-article results, in order."""
        found: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLE_COLUMNS}
        for r in results:
            if r.error is not None:
                self.errors.append(r.error)
                continue
            self.articles.append(r.article or {})
            self.doc_ids.append(r.doc_id)
            for name, rows in found.items():
                rows.extend(r.tables.get(name, ()))
        for name, rows in found.items():
            if rows:
                self._add_rows(name, rows)
        return self

    def _add_rows(self, name: str, rows: list[dict[str, Any]]) -> None:
        if name not in self.rows:
            cols = self.columns[name]
            try:
                values = _as_columns(list(cols), rows)
            except (KeyError, TypeError):
                # from now on this table is kept as rows: move what is held as columns over
                self.rows[name] = self._table_rows(name)
                for v in cols.values():
                    v.clear()
            else:
                for c, v in values.items():
                    cols[c].extend(v)
                return
        self.rows[name].extend(rows)

    def _table_rows(self, name: str) -> list[dict[str, Any]]:
        """The rows held as columns for ``name``, as dicts again (the columns are left as they are)."""
        cols = self.columns[name]
        return [dict(zip(cols, vals)) for vals in zip(*cols.values())]

    def extend(self, other: TableRows) -> None:
        """Append the rows of ``other`` (the next batch) after these."""
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)
        self.doc_ids.extend(other.doc_ids)
        for name in TABLE_COLUMNS:
            if name in other.rows:
                self._add_rows(name, other.rows[name])
            elif name in self.rows:
                self.rows[name].extend(other._table_rows(name))
            else:
                for c, v in other.columns[name].items():
                    self.columns[name][c].extend(v)

    def frames(self, errors: Iterable[dict[str, Any]] = (), texts: dict[str, str] | None = None
               ) -> dict[str, pd.DataFrame]:
        """Every table as its DataFrame; ``errors`` (read errors) come first in the errors table."""
        out = {"articles": table_frame("articles", self.articles)}
        for name, cols in TABLE_COLUMNS.items():
            if name in self.rows:
                out[name] = table_frame(name, self.rows[name])
                continue
            columns = self.columns[name]
            fast = _plain_frame_of_columns(cols, columns) if columns[cols[0]] else None
            out[name] = fast if fast is not None else table_frame(name, self._table_rows(name))
        out["errors"] = table_frame("errors", [*errors, *self.errors])
        text_rows = [] if texts is None else [{"doc_id": d, "text": texts[d]} for d in self.doc_ids if d in texts]
        out["texts"] = table_frame("texts", text_rows)
        return out


def table_frame(name: str, rows: list[dict[Any, Any]]) -> pd.DataFrame:
    """A DataFrame with the documented columns and dtypes of table ``name``."""
    cols = {"articles": ARTICLE_COLUMNS, "errors": ERROR_COLUMNS, "texts": ["doc_id", "text"]}.get(name) \
        or TABLE_COLUMNS[name]
    if rows and name != "articles":
        fast = _plain_frame(cols, rows)
        if fast is not None:
            return fast
    df = pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    if name == "articles":
        # keys beyond the documented columns, in order of first appearance (the columns of ``pd.DataFrame(rows)``)
        extra = [c for c in dict.fromkeys(k for r in rows for k in r) if c not in cols]
        if extra:
            df = pd.concat([df, pd.DataFrame(rows)[extra]], axis=1)
    for c in df.columns:
        if c in _INT_COLUMNS:
            df[c] = pd.array(df[c].tolist(), dtype="Int64") if len(df) else pd.Series(dtype="Int64")
        elif c == "sentiment":
            df[c] = df[c].astype(float)
    for c in df.columns:
        # text columns: plain Python objects with None for missing (not NaN), whatever Parquet gave back
        if c in _TEXT_COLUMNS:
            col = df[c].astype(object)
            df[c] = col.where(col.notna(), None)
    return df


class Analysis:
    """Tidy tables of everything found in a corpus, with the provenance of the run.

    Build one with :func:`framing.analyze`; reload a saved one with :meth:`load`.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], provenance: dict[str, Any] | None = None):
        missing = [t for t in TABLES if t not in tables]
        if missing:
            raise FramingError("E203", f"Analysis is missing table(s): {', '.join(missing)}")
        self.articles: pd.DataFrame = tables["articles"]
        self.attributions: pd.DataFrame = tables["attributions"]
        self.hedges: pd.DataFrame = tables["hedges"]
        self.mentions: pd.DataFrame = tables["mentions"]
        self.boilerplate: pd.DataFrame = tables["boilerplate"]
        self.errors: pd.DataFrame = tables["errors"]
        self.texts: pd.DataFrame = tables["texts"]
        self.provenance: dict[str, Any] = dict(provenance or {})

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_results(cls, results: Iterable[DocResult], errors: Iterable[dict[str, Any]] = (),
                     texts: dict[str, str] | None = None, provenance: dict[str, Any] | None = None) -> Analysis:
        """Collect per-article results (in order) into tables."""
        tables = TableRows().add_results(results)
        return cls(tables.frames(errors, texts), provenance)

    # -- persistence -------------------------------------------------------------------------
    def save(self, outdir: str | Path) -> Path:
        """Write every table as ``<table>.parquet`` and the provenance as ``run.json`` (atomically)."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            atomic_write_parquet(getattr(self, t), out / f"{t}.parquet")
        atomic_write_text(out / "run.json", json.dumps(self.provenance, indent=2, default=str, sort_keys=True))
        return out

    @classmethod
    def load(cls, outdir: str | Path) -> Analysis:
        """Load an analysis written by :meth:`save` or by ``framing analyze -o OUTDIR``."""
        out = Path(outdir)
        if not out.is_dir():
            raise FramingError("E204", f"no analysis folder at {out}")
        tables = {}
        for t in TABLES:
            p = out / f"{t}.parquet"
            if not p.is_file():
                raise FramingError("E205", f"{p} is missing: is {out} the output folder of `framing analyze`?")
            tables[t] = table_frame(t, pd.read_parquet(p).to_dict("records"))
        prov_path = out / "run.json"
        prov = json.loads(prov_path.read_text(encoding="utf-8")) if prov_path.is_file() else {}
        return cls(tables, prov)

    # -- derived views -----------------------------------------------------------------------
    @property
    def actors(self) -> pd.DataFrame:
        """Per article and actor: number of mentions and mean / min / max sentiment of their contexts."""
        m = self.mentions
        if m.empty:
            return pd.DataFrame(columns=["doc_id", "actor", "n_mentions", "mean_sentiment",
                                         "min_sentiment", "max_sentiment"])
        g = m.groupby(["doc_id", "actor"], sort=True)["sentiment"]
        out = g.agg(n_mentions="size", mean_sentiment="mean", min_sentiment="min", max_sentiment="max")
        return out.reset_index()

    def text(self, doc_id: str) -> str:
        """The text of one article (what the offsets index into)."""
        hit = self.texts.loc[self.texts.doc_id == doc_id, "text"]
        if hit.empty:
            raise KeyError(f"no text stored for doc_id {doc_id!r}")
        return str(hit.iloc[0])

    def spans(self, table: str, doc_id: str) -> pd.DataFrame:
        """Rows of one table for one article, with the ``text`` of each span added (for checking)."""
        df = getattr(self, table)
        rows = df[df.doc_id == doc_id].copy()
        text = self.text(doc_id)
        rows["text"] = [text[int(s):int(e)] for s, e in zip(rows.start, rows.end)]
        return rows

    def summary(self) -> dict[str, Any]:
        """Headline numbers of the run."""
        a = self.articles
        n_err = int((self.errors.severity == "error").sum()) if len(self.errors) else 0
        return {
            "articles": len(a),
            "outlets": int(a.outlet.nunique()) if len(a) else 0,
            "errors": n_err,
            "attributions": len(self.attributions),
            "hedges": len(self.hedges),
            "mentions": len(self.mentions),
            "boilerplate_spans": len(self.boilerplate),
            "mean_boilerplate_share": float(a.boilerplate_share.mean()) if len(a) else float("nan"),
        }

    def __len__(self) -> int:
        return len(self.articles)

    def __repr__(self) -> str:
        s = self.summary()
        return (f"<Analysis: {s['articles']} articles from {s['outlets']} outlet(s), {s['attributions']} "
                f"attributions, {s['hedges']} hedges, {s['mentions']} actor mentions, {s['errors']} errors>")

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k.replace('_', ' '))}</th>"
                       f"<td>{html.escape(f'{v:.3f}' if isinstance(v, float) else str(v))}</td></tr>"
                       for k, v in s.items())
        parts = [f"<div><strong>framing Analysis</strong><table>{rows}</table>"]
        if len(self.articles):
            cols = [c for c in ("outlet", "boilerplate_share", "n_attributions", "share_distancing_cues",
                                "share_unnamed_sources", "hedges_per_1k_words", "flesch_reading_ease")
                    if c in self.articles]
            by = self.articles[cols].groupby("outlet", dropna=False).mean(numeric_only=True).round(3)
            by.insert(0, "articles", self.articles.groupby("outlet", dropna=False).size())
            parts.append("<p>Per-outlet means:</p>" + by.to_html(escape=True))
        if s["errors"]:
            parts.append(f"<p>{s['errors']} article(s) could not be analysed; see <code>.errors</code>.</p>")
        parts.append("</div>")
        return "".join(parts)

    def show(self, doc_id: str, **kwargs: Any) -> ArticleView:
        """An annotated view of one article (an HTML object that renders in Jupyter)."""
        from framing.view import render_article

        return render_article(self, doc_id, **kwargs)
