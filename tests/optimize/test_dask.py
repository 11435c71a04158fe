"""The same grid on a Dask LocalCluster: row for row the local result, even when a worker dies."""

from __future__ import annotations

import os

import pytest

from mas.optimize.api import run_optimization
from mas.strategy.builtins import MACrossStrategy

from .conftest import Q1

pytest.importorskip("dask.distributed")

GRID = {"fast": "5:15:5", "slow": "10:30:10"}


def test_grid_on_a_local_cluster_equals_the_local_grid():
    local = run_optimization("ma", GRID, constraints=["fast < slow"], engine="event", **Q1)
    remote = run_optimization("ma", GRID, constraints=["fast < slow"], engine="event", cluster="local:2", **Q1)
    assert [t.document() for t in remote.trials] == [t.document() for t in local.trials]
    assert remote.best.params == local.best.params


class DiesOnce(MACrossStrategy):
    """The MA cross, whose first ``deaths`` constructions (anywhere) kill the worker process they run in."""

    def __init__(self, *, marker: str, deaths: int = 1, fast: int = 5, slow: int = 20) -> None:
        for k in range(deaths):
            try:
                os.close(os.open(f"{marker}.{k}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                continue
            os._exit(1)
        super().__init__(fast=fast, slow=slow)


@pytest.mark.parametrize("deaths", [1, 2])
def test_the_chunk_of_a_lost_worker_is_run_again(tmp_path, deaths):
    marker = tmp_path / "died"
    params = {"marker": str(marker), "deaths": deaths, "fast": [5, 10], "slow": [20, 30]}
    remote = run_optimization(DiesOnce, params, engine="event", cluster="local:2", **Q1)
    assert all((tmp_path / f"died.{k}").exists() for k in range(deaths))  # workers did die
    local = run_optimization(DiesOnce, params, engine="event", **Q1)
    assert [t.document() for t in remote.trials] == [t.document() for t in local.trials]
    assert {t.status for t in remote.trials} == {"ok"}


def test_bad_cluster_addresses_are_refused():
    with pytest.raises(ValueError, match="expected local:N"):
        run_optimization("ma", GRID, cluster="local:zero", **Q1)
    with pytest.raises(ValueError, match="expected local:N or a scheduler address"):
        run_optimization("ma", GRID, cluster="somewhere", **Q1)
