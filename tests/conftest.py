"""Shared fixtures: where the real annotated data lives, and small corpora on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def data_root() -> Path:
    """``$FRAMING_DATA`` or ``../shared/data`` beside the repository."""
    env = os.environ.get("FRAMING_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def need_data(name: str) -> Path:
    """The folder of one shared dataset, or skip the test with the reason."""
    p = data_root() / name
    if not p.exists():
        pytest.skip(f"shared dataset {name!r} not found at {p} (set FRAMING_DATA to its parent folder)")
    return p


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return need_data("seed")


@pytest.fixture(scope="session")
def test_output() -> Path:
    out = REPO / "test-output"
    out.mkdir(exist_ok=True)
    return out


@pytest.fixture
def tiny_wikiweasel_csv(tmp_path) -> Path:
    """A four-sentence file laid out like WikiWeasel's (two uncertain, two certain), not from its data."""
    f = tmp_path / "wikiweasel_dev.csv"
    f.write_text(
        "text,label\n"
        "It is widely believed that the castle is haunted .,1\n"
        "The bridge opened in 1932 .,0\n"
        "Some critics argue the film is overrated .,1\n"
        "The river flows north .,0\n",
        encoding="utf-8",
    )
    return f
