"""Annotated article views for teaching and checking: HTML pages, Jupyter display, terminal text.

- :func:`render_article` — one article with its findings highlighted, a legend and its numbers.
- :func:`render_comparison` — two or more articles side by side with their numbers.
- :func:`show_file` — what ``framing show FILE [-o page.html]`` does.
- :func:`write_worksheet` — a printable student worksheet (no Jupyter needed).

All article text and metadata are escaped in one place, :mod:`framing.view.escape`.
"""

from __future__ import annotations

from framing.view.files import show_file
from framing.view.html import ArticleView, render_article, render_comparison
from framing.view.terminal import render_terminal
from framing.view.worksheet import EXERCISES, write_worksheet

__all__ = ["ArticleView", "render_article", "render_comparison", "render_terminal", "show_file",
           "write_worksheet", "EXERCISES"]
