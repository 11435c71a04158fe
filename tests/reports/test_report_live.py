"""The reports on live trade history: MT5 deals -> ``result_from_deals`` -> the facade's report calls."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from mas.client import MAS, state_of
from mas.live.history import result_from_deals
from mas.reports.metrics import compute_metrics
from mas.terminal import constants as c
from mas.terminal.types import TradeDeal

from .helpers import plotly_figures

T0 = int(datetime(2024, 3, 4, 8, tzinfo=timezone.utc).timestamp())  # a Monday
H, DAY = 3_600, 86_400


def deal(ticket: int, t: int, kind: int, entry: int, position: int, volume: float, price: float, profit: float = 0.0,
         commission: float = 0.0, swap: float = 0.0, reason: int = c.DEAL_REASON_CLIENT) -> TradeDeal:
    return TradeDeal(ticket=ticket, order=ticket + 1000, time=t, time_msc=t * 1000, type=kind, entry=entry, magic=7,
                     position_id=position, reason=reason, volume=volume, price=price, commission=commission,
                     swap=swap, profit=profit, fee=0.0, symbol="" if kind == c.DEAL_TYPE_BALANCE else "EURUSD",
                     comment="", external_id="")


BUY, SELL, BAL = c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL, c.DEAL_TYPE_BALANCE
IN, OUT, INOUT = c.DEAL_ENTRY_IN, c.DEAL_ENTRY_OUT, c.DEAL_ENTRY_INOUT

# A deposit; position 1: buy 0.3, two partial closes (+15 by hand, -8 by stop loss) with the entry
# commission shared by volume; position 2 (netting): sell 0.1, reversed by a 0.3 buy (closes the
# short at +5, opens a 0.2 long), the long closed by take profit (+12) two days later.
DEALS = [
    deal(1, T0 - DAY, BAL, IN, 0, 0.0, 0.0, profit=10_000.0),
    deal(2, T0, BUY, IN, 1, 0.3, 1.0850, commission=-2.1),
    deal(3, T0 + 2 * H, SELL, OUT, 1, 0.1, 1.0865, profit=15.0, commission=-0.7),
    deal(4, T0 + 5 * H, SELL, OUT, 1, 0.2, 1.0846, profit=-8.0, commission=-1.4, swap=-0.3, reason=c.DEAL_REASON_SL),
    deal(5, T0 + DAY, SELL, IN, 2, 0.1, 1.0900),
    deal(6, T0 + DAY + 3 * H, BUY, INOUT, 2, 0.3, 1.0895, profit=5.0),
    deal(7, T0 + 3 * DAY, SELL, OUT, 2, 0.2, 1.0901, profit=12.0, reason=c.DEAL_REASON_TP),
]


class FakeTerminal:
    """The two calls the facade's live report source makes, answered from a fixed deal list."""

    def __init__(self, deals: list[TradeDeal], currency: str = "EUR") -> None:
        self.deals, self.currency = deals, currency
        self.asked: list[tuple[datetime, datetime]] = []

    def history_deals_get(self, date_from: datetime, date_to: datetime) -> tuple[TradeDeal, ...]:
        self.asked.append((date_from, date_to))
        return tuple(reversed(self.deals))  # the order of the terminal's answer does not matter

    def account_info(self) -> SimpleNamespace:
        return SimpleNamespace(currency=self.currency)


@pytest.fixture()
def live_client() -> MAS:
    client = MAS()
    state_of(client).live_session().terminal = FakeTerminal(DEALS)  # what login() leaves behind; no backtest has run
    return client


def test_data_report_of_live_history(live_client):
    report = live_client.generate_data_report()
    assert report["status"] is True
    data = report["data"]
    json.dumps(report, allow_nan=False)
    records = json.loads(data["data_source"])
    # the deposit is not a trade; each exit deal is one record, partial closes included; the
    # reversal closes the short and the take profit closes the long it opened
    assert [(r["position_id"], r["direction"], r["exit_reason"]) for r in records] == [
        (1, "buy", "client"), (1, "buy", "sl"), (2, "sell", "client"), (2, "buy", "tp"),
    ]
    assert [r["volume"] for r in records[:2]] == [0.1, 0.2]
    assert records[0]["commission"] == pytest.approx(-0.7 - 0.7)  # exit + a third of the entry's
    assert records[1]["commission"] == pytest.approx(-1.4 - 1.4) and records[1]["swap"] == -0.3
    assert records[0]["time"] == "2024-03-04 10:00:00" and records[0]["open_time"] == "2024-03-04 08:00:00"

    net = [15.0 - 1.4, -8.0 - 2.8 - 0.3, 5.0, 12.0]
    assert data["general_data"] == {"total_profit_loss": pytest.approx(sum(net)), "number_of_trades": 4}
    pm = data["performance_metrics"]
    assert pm["win_rate"] == 75.0 and pm["max_consecutive_losses"] == 1
    assert pm["max_single_loss"] == pytest.approx(-net[1]) and pm["max_single_loss"] > 0  # a magnitude
    assert pm["profit_factor"] == pytest.approx((net[0] + net[2] + net[3]) / -net[1])
    # the balance curve starts from the deposit: the return is the trades' net result on 10,000
    assert pm["total_return_rate"] == pytest.approx(100 * sum(net) / 10_000)
    assert data["annual_pnl_usd"]["annual_pnl_usd"] == {"2024": pytest.approx(10_000 + sum(net))}


def test_kpi_report_and_chart_of_live_history(live_client, tmp_path):
    kpi = live_client.generate_kpi_report({"report_dir": str(tmp_path)})
    assert kpi["status"] is True, kpi
    html = open(kpi["path"], encoding="utf-8").read()
    assert kpi["path"].startswith(str(tmp_path)) and "kpi_EURUSD_MAS_" in kpi["path"]
    m = compute_metrics(result_from_deals(DEALS, "EUR"))
    assert f"{m['total_profit_loss']:,.2f} EUR" in html
    assert "<td>source</td><td>live account history</td>" in html
    assert "<td>currency</td><td>EUR</td>" in html

    chart = live_client.generate_trade_chart({"report_dir": str(tmp_path)})
    assert chart["status"] is True, chart
    (fig,) = plotly_figures(open(chart["path"], encoding="utf-8").read())
    names = {t["name"] for t in fig["data"]}
    assert {"Buy entry", "Sell entry", "Exit (win)", "Exit (loss / breakeven)", "Equity", "Cumulative P&L"} <= names
    assert "candlestick" not in {t["type"] for t in fig["data"]}  # live history carries no bars


def test_no_history_is_a_clear_status(tmp_path):
    client = MAS()
    state_of(client).live_session().terminal = FakeTerminal([])
    assert client.generate_data_report()["status"] is False
    outcome = client.generate_kpi_report({"report_dir": str(tmp_path)})
    assert outcome["status"] is False and outcome["error"]
    assert not list(tmp_path.iterdir())


def test_reversal_closes_the_old_side_and_opens_the_new_one():
    result = result_from_deals(DEALS, "EUR")
    short, long = [t for t in result.trades if t.position_id == 2]
    assert (short.direction, short.volume, short.open_price, short.close_price) == ("sell", 0.1, 1.0900, 1.0895)
    assert (long.direction, long.volume, long.open_price, long.close_price) == ("buy", 0.2, 1.0895, 1.0901)
    assert long.open_time == datetime(2024, 3, 5, 11)


def test_open_live_positions_are_reported_as_open_trades():
    from mas.live.history import result_from_live_history
    from mas.terminal.types import TradePosition

    class WithPosition(FakeTerminal):
        def positions_get(self):
            return (TradePosition(ticket=9, time=T0 + 4 * DAY, time_msc=0, time_update=0, time_update_msc=0,
                                  type=c.POSITION_TYPE_SELL, magic=7, identifier=9, reason=3, volume=0.5,
                                  price_open=1.0920, sl=1.0950, tp=0.0, price_current=1.0910, swap=-0.4,
                                  profit=50.0, symbol="EURUSD", comment="", external_id=""),)

    result = result_from_live_history(WithPosition(DEALS))
    (still_open,) = [t for t in result.trades if t.is_open]
    assert (still_open.direction, still_open.volume, still_open.profit, still_open.sl) == ("sell", 0.5, 50.0, 1.095)
    assert len(result.closed_trades) == 4
