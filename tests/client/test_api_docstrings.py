"""Every public method of the MAS facade says what it does, and ``send_order``'s docstring is its
reference: every field and order type of the API contract is listed there."""

from __future__ import annotations

import inspect
import re

import pytest

from mas.client import MAS
from mas.params import KNOWN_FIELDS
from mas.terminal import constants as c

# The send_order contract (the MAS API reference, "Trading": send_order params and order types).
CONTRACT_FIELDS = ("backtest_toggle", "symbol", "order_type", "volume", "price", "sl", "tp", "stoplimit", "deviation",
                   "magic", "comment", "type_time", "expiration", "type_filling", "position", "position_by",
                   "order_id")
CONTRACT_ORDER_TYPES = ("buy", "sell", "buy_limit", "sell_limit", "buy_stop", "sell_stop", "buy_stop_limit",
                        "sell_stop_limit")
CONTRACT_DEFAULTS = {"deviation": "10", "magic": "123456", "comment": "MAS Order", "type_time": "GTC",
                     "type_filling": "FOK"}


def public_members() -> dict[str, object]:
    """MAS's public methods, static methods and properties, as defined on the class (not inherited docs)."""
    members = {}
    for name, value in vars(MAS).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            members[name] = value.__func__
        elif isinstance(value, property) or inspect.isfunction(value):
            members[name] = value
    return members


def test_the_facade_has_the_documented_surface() -> None:
    members = public_members()
    # the contract's calls (not exhaustive of the extras): a rename would make the docstring check vacuous
    for name in ("login", "set_lang", "send_order", "modify_order", "cancel_order", "get_account_info",
                 "subscribe_bars", "generate_data_report", "get_start_date", "calc_order_margin"):
        assert name in members
    assert len(members) >= 42


@pytest.mark.parametrize("name", sorted(public_members()))
def test_every_public_method_has_a_docstring(name: str) -> None:
    doc = public_members()[name].__doc__
    assert doc is not None and len(doc.strip()) >= 20, f"MAS.{name} needs a docstring saying what it does"


def _send_order_doc() -> str:
    doc = inspect.getdoc(MAS.send_order)
    assert doc is not None
    return doc


@pytest.mark.parametrize("field", sorted(set(CONTRACT_FIELDS) | KNOWN_FIELDS["send_order"]))
def test_send_order_docstring_lists_every_field(field: str) -> None:
    # each field as a bullet of its own: ``field`` at the start of a "- " line
    assert re.search(rf"^- .*``{field}``", _send_order_doc(), re.MULTILINE), f"send_order's docstring lacks {field}"


@pytest.mark.parametrize("order_type", CONTRACT_ORDER_TYPES)
def test_send_order_docstring_lists_every_order_type(order_type: str) -> None:
    assert f"``{order_type}``" in _send_order_doc()
    assert order_type in c.ORDER_TYPE_BY_NAME  # and the documented spelling is what send_order accepts


@pytest.mark.parametrize(("field", "default"), sorted(CONTRACT_DEFAULTS.items()))
def test_send_order_docstring_gives_the_contract_defaults(field: str, default: str) -> None:
    line = next(line for line in _send_order_doc().splitlines() if line.startswith(f"- ``{field}``"))
    assert default in line
