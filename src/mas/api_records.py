"""MT5 records (positions, orders, deals) as the dicts the MAS API returns, in the original SDK's shape.

The original SDK turns MT5's epoch-second fields into ``datetime`` (``time``, ``time_update``,
``time_setup``, ``time_expiration``, ``time_done``), keeps the ``*_msc`` fields as integer
milliseconds, gives ``time_expiration`` / ``time_done`` as ``None`` while they are unset (0), and adds
``order_id`` to a position: the order that opened it. Its keys come first, in its order; the other
MT5 fields of the record follow unchanged.

Times are the terminal's clock as naive datetimes (what ``receive_bars`` and
``receive_order_execution`` carry), not shifted to the machine's local time zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

__all__ = ["deal_dict", "mt5_time", "order_dict", "position_dict"]

_EPOCH = datetime(1970, 1, 1)

_POSITION_KEYS = ("ticket", "symbol", "type", "magic", "identifier", "reason", "volume", "price_open", "sl", "tp",
                  "price_current", "swap", "profit", "comment", "external_id")
_ORDER_KEYS = ("ticket", "symbol", "type", "volume_initial", "volume_current", "price_open", "sl", "tp",
               "price_current", "price_stoplimit", "comment", "magic", "reason")
_DEAL_KEYS = ("ticket", "order", "position_id", "symbol", "type", "entry", "reason", "volume", "price", "commission",
              "swap", "fee", "profit", "comment", "external_id")


def mt5_time(value: Any) -> datetime:
    """A naive datetime of an MT5 time in seconds since the epoch (a datetime is returned as it is)."""
    if isinstance(value, datetime):
        return value
    return _EPOCH + timedelta(seconds=int(value))


def _optional_time(value: Any) -> datetime | None:
    return None if not value else mt5_time(value)


def _rest(fields: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    for key, value in fields.items():
        if key not in out:
            out[key] = value
    return out


def position_dict(position: Any) -> dict[str, Any]:
    """A ``positions_get`` record as ``get_positions`` returns it."""
    fields = position._asdict()
    out: dict[str, Any] = {"order_id": int(fields["identifier"] or fields["ticket"])}
    out.update((key, fields[key]) for key in _POSITION_KEYS)
    out["time"] = mt5_time(fields["time"])
    out["time_msc"] = int(fields["time_msc"])
    out["time_update"] = mt5_time(fields["time_update"])
    out["time_update_msc"] = int(fields["time_update_msc"])
    return _rest(fields, out)


def order_dict(order: Any, with_state: bool) -> dict[str, Any]:
    """An ``orders_get`` / ``history_orders_get`` record as ``get_pending_orders`` / ``get_history_orders``
    return it (``state`` among the documented keys for history orders, after them for pending ones)."""
    fields = order._asdict()
    out = {key: fields[key] for key in _ORDER_KEYS}
    if with_state:
        out["state"] = fields["state"]
    out["time_setup"] = mt5_time(fields["time_setup"])
    out["time_expiration"] = _optional_time(fields["time_expiration"])
    out["time_done"] = _optional_time(fields["time_done"])
    return _rest(fields, out)


def deal_dict(deal: Any) -> dict[str, Any]:
    """A ``history_deals_get`` record as ``get_order_history`` returns it."""
    fields = deal._asdict()
    out = {key: fields[key] for key in _DEAL_KEYS}
    out["time"] = mt5_time(fields["time"])
    out["time_msc"] = int(fields["time_msc"])
    return _rest(fields, out)
