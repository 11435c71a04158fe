"""Helpers for the simulated account's tests: a book over the real EURUSD H1 2017 sample."""

from __future__ import annotations

from mas.data.store import load_bars
from mas.sim.account import AccountSettings
from mas.sim.book import AccountBook
from mas.sim.market import Market, SymbolTape, prepare_rates
from mas.sim.symbols import BUILTIN_SYMBOLS, resolve_spec
from mas.terminal import constants as c
from mas.terminal.types import trade_request

BAR = 100
"""The sample's bar the books stand on (a Wednesday in January 2017)."""



def sample_market(overrides: dict | None = None, bars: int = 400) -> Market:
    """A market replaying the first ``bars`` of the bundled EURUSD H1 sample, standing on bar ``BAR``."""
    spec = resolve_spec("EURUSD", overrides or {})
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), spec, None)
    market = Market()
    market.add(SymbolTape(spec=spec, timeframe="H1", rates=rates[:bars], price_side_note="test"))
    market.set_bar("EURUSD", BAR)
    market.now = int(rates["time"][BAR]) + 3600
    return market


def sample_book(margin_mode: str = "hedging", capital: float = 10_000.0, overrides: dict | None = None,
                listener=None, currency: str = "USD") -> AccountBook:
    """An account book over :func:`sample_market` (the built-in symbols, with ``overrides``)."""
    specs = {n: resolve_spec(n, overrides or {}) for n in BUILTIN_SYMBOLS}
    return AccountBook(AccountSettings(capital=capital, margin_mode=margin_mode, currency=currency), specs,
                       sample_market(overrides), listener=listener)


def open_position(book: AccountBook, buy: bool, volume: float = 0.1, **fields) -> int:
    """Queue a market order on EURUSD and fill it at the current bid; the new position's ticket."""
    order = book.queue_market(trade_request({
        "action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "volume": volume,
        "type": c.ORDER_TYPE_BUY if buy else c.ORDER_TYPE_SELL, **fields}))
    book.fill_market_orders("EURUSD", book.market.quotes["EURUSD"].bid)
    return order.ticket
