"""Printable student worksheets for a class without Jupyter (HTML with print styles, or PDF via local Chromium).

A worksheet shows the plain article with numbered paragraphs, a short explanation and
"predict first" questions with space to write. With ``answers=True`` a second part,
starting on a new printed page, reveals the toolkit's highlights and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from framing.errors import FramingError
from framing.view.escape import attrs, plain, text

if TYPE_CHECKING:
    from framing.analysis import Analysis

__all__ = ["EXERCISES", "Exercise", "write_worksheet", "worksheet_html"]


@dataclass(frozen=True)
class Exercise:
    """One classroom exercise: title, explanation, prediction questions and discussion questions."""

    title: str
    explain: str
    predict: tuple[str, ...]
    discuss: tuple[str, ...]


EXERCISES: dict[str, Exercise] = {
    "who-speaks": Exercise(
        "Who gets to speak?",
        "News stories are built from what people say. Who is quoted, how often, and whether we read their own "
        "words or a summary of them shapes which side of a story we hear.",
        ("Underline every person or organisation whose words are reported. Who is quoted most?",
         "Which speakers get their own words in quotation marks, and which are only summarised?",
         "Is any statement credited to someone who is not named (\"officials\", \"a source\")? Circle it."),
        ("Who is missing from this story? Whose voice would you add, and why?",
         "Does quoting someone more often make a story one-sided? When is it fair?"),
    ),
    "said-or-claimed": Exercise(
        "Said or claimed?",
        "Reporters choose a verb for every statement. \"Said\" is neutral; \"claimed\" or \"alleged\" put "
        "distance between the reporter and the speaker; \"vowed\" or \"slammed\" add drama. Words like "
        "\"reportedly\" or \"could not be verified\" (hedges) signal doubt.",
        ("Find every verb that introduces a statement (said, claimed, warned ...). List them.",
         "Sort them into three groups: neutral, distancing (doubt), emphatic (drama).",
         "Find words that show doubt or uncertainty (may, reportedly, unconfirmed). How many are there?"),
        ("Rewrite one sentence with \"said\" instead of the reporter's verb. Does the meaning change?",
         "When is it right for a reporter to write \"claimed\"?"),
    ),
    "news-share": Exercise(
        "How much of this page is news?",
        "A news web page holds more than the story: donation appeals, newsletter sign-ups, links to other "
        "articles, comment boxes and cookie notices. The toolkit calls these boilerplate.",
        ("Cross out every paragraph that is not part of the news story.",
         "Estimate: what percentage of the page is not news?",
         "Which kinds of non-news did you find (appeal, sign-up, related link, ...)?"),
        ("Why do news sites put these things in the middle of a story?",
         "Does boilerplate change how trustworthy a page feels?"),
    ),
}

_CSS = """
.ws { font-family: Verdana, "DejaVu Sans", Arial, sans-serif; font-size: 18px; line-height: 1.55; color: #111;
  max-width: 48rem; margin: 0 auto; padding: 1em; }
.ws h1 { font-size: 1.6em; margin: 0.2em 0; } .ws h2 { font-size: 1.15em; margin: 1.1em 0 0.4em; }
.ws-name { display: flex; gap: 2em; margin: 0.6em 0 1em; } .ws-name span { flex: 1; border-bottom: 1px solid #000; }
.ws-explain { background: #f3f3f3; border-left: 6px solid #0072B2; padding: 0.5em 0.8em; }
.ws-lines { padding-left: 2.5em; } .ws-lines li { margin: 0 0 0.6em; white-space: pre-wrap; overflow-wrap: break-word; }
.ws-lines li::marker { color: #555; font-size: 0.85em; }
.ws-q li { margin: 0 0 0.4em; }
.ws-box { border: 1px solid #777; min-height: 4.5em; margin: 0.3em 0 1em; border-radius: 4px; }
.ws-meta { color: #555; font-size: 0.85em; }
.ws-answers { break-before: page; page-break-before: always; margin-top: 2em; border-top: 4px double #000; }
@media print { .ws { font-size: 12pt; max-width: none; padding: 0; } .ws-box { min-height: 6em; }
  .ws-lines li, .ws-q li { break-inside: avoid; } }
"""


def worksheet_html(analysis: Analysis, doc_id: str, exercise: str = "who-speaks", answers: bool = False) -> str:
    """The worksheet page as a string (see :func:`write_worksheet`)."""
    from framing.document import split_blocks
    from framing.view.html import css, page, render_article
    from framing.view.numbers import article_meta

    if exercise not in EXERCISES:
        raise FramingError("E406", f"unknown exercise {exercise!r}; choose one of: {', '.join(EXERCISES)}")
    ex = EXERCISES[exercise]
    doc_id = str(doc_id)
    try:
        body = analysis.text(doc_id)
    except KeyError:
        raise FramingError("E400", f"no article {doc_id!r} in this analysis") from None
    row = article_meta(analysis.articles, doc_id)
    blocks = "".join(f"<li>{text(body[s:e])}</li>" for s, e in split_blocks(body))
    meta = " \u00b7 ".join(x for x in (plain(row.get("outlet")), plain(row.get("date"))) if x)
    predict = "".join(f"<li>{text(q)}<div class=\"ws-box\"></div></li>" for q in ex.predict)
    discuss = "".join(f"<li>{text(q)}</li>" for q in ex.discuss)
    parts = [
        f"<div class=\"ws\"{attrs(data_exercise=exercise)}><h1>{text(ex.title)}</h1>",
        "<div class=\"ws-name\"><span>Name:</span><span>Date:</span></div>",
        f"<p class=\"ws-explain\">{text(ex.explain)}</p>",
        f"<h2>The article</h2><p class=\"ws-meta\">{text(meta)}</p><ol class=\"ws-lines\">{blocks}</ol>",
        f"<h2>Predict first</h2><ol class=\"ws-q\">{predict}</ol>",
        f"<h2>Discuss</h2><ol class=\"ws-q\">{discuss}</ol></div>",
    ]
    if answers:
        view = render_article(analysis, doc_id, findings=False)
        parts.append(f"<section class=\"ws-answers\"><div class=\"ws\"><h2>Reveal: what the toolkit found</h2>"
                     f"<p>Compare with your predictions. The toolkit follows rules; it can be wrong too "
                     f"\u2014 find one place where you disagree with it.</p></div>{view.body}</section>")
    title = f"{ex.title} \u2014 worksheet"
    html_ = page("".join(parts), title)
    if answers:  # the reveal needs the view's stylesheet as well
        return html_.replace("</style>", _CSS + "</style>", 1)
    return html_.replace(css(), _CSS, 1)


def write_worksheet(analysis: Analysis, doc_id: str, path: str | Path, exercise: str = "who-speaks",
                    answers: bool = False) -> Path:
    """Write a printable, self-contained student worksheet for one article.

    Parameters
    ----------
    analysis : Analysis
    doc_id : str
        The article the students work on.
    path : path
        Where to write the page: HTML (print it, or "print to PDF", from any browser), or a ``.pdf``
        file, printed with a local headless Chromium (:mod:`framing.view.pdf`).
    exercise : {"who-speaks", "said-or-claimed", "news-share"}
    answers : bool
        Add the reveal part (highlights and numbers) on a new page, for the teacher or for after the task.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    page = worksheet_html(analysis, doc_id, exercise, answers)
    if p.suffix.lower() != ".pdf":
        p.write_text(page, encoding="utf-8")
        return p
    import tempfile

    from framing.view.pdf import html_to_pdf

    with tempfile.TemporaryDirectory(prefix="framing-worksheet-") as tmp:
        html_file = Path(tmp) / (p.stem + ".html")
        html_file.write_text(page, encoding="utf-8")
        return html_to_pdf(html_file, p)
