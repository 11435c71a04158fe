"""Sending a request to a live terminal: MT5 needs the current price on market orders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.client import MAS


def send_live(client: MAS, terminal: Any, request: dict, params: dict) -> Any:
    """``order_send`` on the live terminal, with the market price filled in for market orders."""
    request = dict(request)
    if request.get("action") == c.TRADE_ACTION_DEAL and not request.get("price"):
        tick = terminal.symbol_info_tick(request["symbol"])
        if tick is None:
            return None
        request["price"] = tick.ask if request["type"] == c.ORDER_TYPE_BUY else tick.bid
    return terminal.order_send(request)
