"""Small shipped models (plain JSON) and their model cards; training scripts live in ``scripts/``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from framing.errors import FramingError

__all__ = ["read_model_json"]


def read_model_json(name: str, code: str, what: str) -> Any:
    """The parsed JSON of the shipped model file ``framing/models/<name>``.

    Raises :class:`FramingError` ``code`` ("<what> framing/models/<name> is missing: ...") when the
    file cannot be read, e.g. in a broken installation.
    """
    try:
        text = resources.files("framing").joinpath("models").joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:
        raise FramingError(code, f"{what} framing/models/{name} is missing: {exc}") from None
    return json.loads(text)
