"""The result page's engine figures through the API: margin per bar, the tester's margin level and deposit load,
and the orders (MetaTrader 5's columns) with their CSV, exactly as the run's ``--json`` document holds them."""

from __future__ import annotations

import csv
import io

from mas.web.services import ORDER_COLUMNS

from .conftest import YEAR

MA = {"kind": "builtin", "name": "ma", "params": {}}


def test_the_event_engine_run_carries_margin_tester_figures_and_orders_and_the_csv_lists_them(session):
    run = session.backtest(MA, engine="event", **YEAR)
    doc = run["document"]
    assert len(doc["margin"]) == len(doc["equity"]) and max(doc["margin"]) > 0
    tester = doc["tester_metrics"]
    loads = [100 * m / e for m, (_t, e) in zip(doc["margin"], doc["equity"], strict=True) if m > 0]
    assert abs(tester["max_deposit_load"] - max(loads)) < 1e-9  # the chart's series and the tile agree
    assert tester["min_margin_level"] > 100 and 0 < tester["average_deposit_load"] <= tester["max_deposit_load"]
    orders = doc["orders"]
    assert orders and not any(o["rebuilt"] for o in orders)
    assert len(orders) == 2 * len([t for t in doc["trades"] if not t["is_open"]]) + \
        len([t for t in doc["trades"] if t["is_open"]])  # one order in, one order out

    response = session.get(f"/api/runs/{run['id']}/orders.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].endswith(f'orders-{run["id"][:8]}.csv"')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(ORDER_COLUMNS) and len(rows) == len(orders)
    assert [int(r["ticket"]) for r in rows] == [o["ticket"] for o in orders]
    assert {r["state_name"] for r in rows} == {"filled"} and {r["type_name"] for r in rows} <= {"buy", "sell"}


def test_fast_path_orders_are_marked_rebuilt(session):
    run = session.backtest(MA, engine="fast", **YEAR)
    orders = run["document"]["orders"]
    assert orders and all(o["rebuilt"] for o in orders)
    rows = list(csv.DictReader(io.StringIO(session.get(f"/api/runs/{run['id']}/orders.csv").text)))
    assert {r["rebuilt"] for r in rows} == {"True"}


def test_orders_csv_of_a_missing_or_unfinished_run_is_refused(session):
    assert session.get("/api/runs/" + "0" * 32 + "/orders.csv").status_code == 404
    assert session.get("/api/runs/not-an-id/orders.csv").status_code == 422
