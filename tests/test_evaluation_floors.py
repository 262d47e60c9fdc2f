"""Regression gate: `framing evaluate` on every shared dataset present must not drop more than
0.02 below the floors recorded in tests/evaluation_floors.json (raise floors as scores improve)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from framing.cli import main
from tests.conftest import need_data

FLOORS = json.loads((Path(__file__).parent / "evaluation_floors.json").read_text())
TOLERANCE = 0.02


@pytest.mark.slow
@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_scores_stay_above_floors(dataset, tmp_path):
    path = need_data(dataset)
    out = tmp_path / f"{dataset}.json"
    r = CliRunner().invoke(main, ["evaluate", dataset, str(path), "--json", str(out)])
    assert r.exit_code == 0, r.output
    payload = json.loads(out.read_text())
    assert payload["dataset"] == dataset and payload["n"]
    metrics = payload["metrics"]
    low = {m: (metrics.get(m), floor) for m, floor in FLOORS[dataset].items()
           if metrics.get(m) is None or metrics[m] < floor - TOLERANCE}
    assert not low, f"{dataset}: metrics below floor-{TOLERANCE} (value, floor): {low}"
