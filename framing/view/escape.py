"""The one place where article text and metadata become HTML.

Every string that comes from an article (its text, title, outlet, URL, speaker
names, lexicon entries) reaches the page through :func:`text` or :func:`attrs`.
Both escape ``& < > " '``, so markup in an article (``<script>``, ``onerror=``
attributes, ``javascript:`` links) is shown as characters and never parsed.
The view never turns article data into a link, a tag name, an attribute name
or CSS; it only ever places escaped data in element content and in quoted
attribute values.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

__all__ = ["text", "attrs", "plain"]

_ATTR_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
# Control characters other than tab/newline/carriage return are not valid in HTML text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value: Any, missing: str = "") -> str:
    """``value`` as a display string (``None`` and NaN become ``missing``); not yet escaped."""
    if value is None:
        return missing
    if isinstance(value, float) and math.isnan(value):
        return missing
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return missing
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def text(value: Any, missing: str = "") -> str:
    """Escape ``value`` for element content."""
    return html.escape(_CONTROL.sub("\ufffd", plain(value, missing)), quote=True)


def attrs(**values: Any) -> str:
    """Quoted, escaped attributes: ``attrs(data_why="a<b")`` gives `` data-why="a&lt;b"``.

    Attribute *names* are fixed by the view's code (underscores become hyphens, a trailing
    underscore is dropped as in ``class_``); ``None`` values are left out.
    """
    out = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if not _ATTR_NAME.match(name):
            raise ValueError(f"not an allowed attribute name: {name!r}")
        out.append(f' {name}="{text(value)}"')
    return "".join(out)
