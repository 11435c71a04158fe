"""The typed seam: the Terminal protocol, the function list derived from it, and the forwarding base."""

from __future__ import annotations

import ast
import inspect
import sys
import types
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import mas.terminal
from mas.live import wire
from mas.live.mt5linux_terminal import Mt5LinuxTerminal
from mas.live.sim_client import SimTerminalClient
from mas.live.simserver.service import SimTerminalService
from mas.live.terminal import LiveTerminal
from mas.sim.terminal import SimulatedTerminal
from mas.terminal.forwarding import ForwardingTerminal
from mas.terminal.protocol import MT5_FUNCTIONS, Terminal, signature_problems

DOCUMENTED = (  # the functions of the MetaTrader5 Python package, as its documentation lists them
    "initialize", "login", "shutdown", "version", "last_error", "account_info", "terminal_info", "symbols_total",
    "symbols_get", "symbol_info", "symbol_info_tick", "symbol_select", "market_book_add", "market_book_get",
    "market_book_release", "copy_rates_from", "copy_rates_from_pos", "copy_rates_range", "copy_ticks_from",
    "copy_ticks_range", "orders_total", "orders_get", "positions_total", "positions_get", "history_orders_total",
    "history_orders_get", "history_deals_total", "history_deals_get", "order_calc_margin", "order_calc_profit",
    "order_check", "order_send",
)


def test_the_function_list_is_the_protocols_and_metatrader5s():
    assert MT5_FUNCTIONS == DOCUMENTED
    assert wire.MT5_FUNCTIONS is MT5_FUNCTIONS  # the wire names what crosses it from the one list


@pytest.mark.parametrize("cls", [SimulatedTerminal, SimTerminalClient, LiveTerminal, Mt5LinuxTerminal,
                                 ForwardingTerminal])
def test_every_terminal_class_offers_every_function_with_metatrader5s_parameters(cls):
    assert signature_problems(cls) == []


def test_the_forwarding_terminals_write_no_mt5_function_of_their_own_but_the_session_ones():
    """Each MT5 function is written once, in the base; subclasses only replace what they must."""
    own = {cls: sorted(n for n in MT5_FUNCTIONS if n in vars(cls))
           for cls in (SimTerminalClient, LiveTerminal, Mt5LinuxTerminal)}
    assert own == {SimTerminalClient: ["last_error", "shutdown"],
                   LiveTerminal: ["initialize", "last_error", "order_send", "shutdown"], Mt5LinuxTerminal: []}


def test_signature_problems_names_what_is_wrong():
    class Sloppy(ForwardingTerminal):
        def symbol_info(self, name: str) -> Any:  # wrong name
            return None

        def symbol_select(self, symbol: str, enable: bool) -> bool:  # optional made required
            return True

        def copy_ticks_from(self, symbol: str, date_from: Any, count: int, flags: int, extra: int) -> Any:
            return None

        def symbols_get(self, group: str = "*") -> Any:  # MetaTrader5's default is None: any default will do
            return ()

        def initialize(self, path: str | None = None, *, login: int | None = None, password: str | None = None,
                       server: str | None = None, timeout: int | None = None, portable: bool = True) -> bool:
            return True

    problems = signature_problems(Sloppy)
    assert problems == [
        "initialize: 'portable' defaults to True, not False",
        "symbol_info: positional parameter 1 is 'name', not 'symbol'",
        "symbol_info: has no parameter 'symbol'",
        "symbol_info: requires 'name', which MetaTrader5 does not have",
        "symbol_select: 'enable' is required; MetaTrader5 has it optional",
        "copy_ticks_from: requires 'extra', which MetaTrader5 does not have",
    ]
    assert signature_problems(object) == [f"{name}: missing" for name in MT5_FUNCTIONS]


def test_a_module_with_the_functions_is_a_terminal():
    """The MetaTrader5 package itself satisfies the protocol (a module of functions, no self)."""
    module = types.ModuleType("MetaTrader5")
    for name in MT5_FUNCTIONS:
        signature = inspect.signature(getattr(Terminal, name))
        params = list(signature.parameters.values())[1:]

        def function(*args: Any, **kwargs: Any) -> None:
            return None

        function.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        vars(module)[name] = function
    assert isinstance(module, Terminal) and signature_problems(module) == []
    del vars(module)["order_send"]
    assert not isinstance(module, Terminal) and signature_problems(module) == ["order_send: missing"]


def test_the_mas_mt5_module_is_a_terminal():
    """``import mas.mt5 as mt5`` offers the same functions as the MetaTrader5 package."""
    import mas.mt5

    assert isinstance(mas.mt5, Terminal) and signature_problems(mas.mt5) == []


class Recording(ForwardingTerminal):
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((name, args, kwargs))
        return name


def _placeholder(param: inspect.Parameter) -> Any:
    return {"symbol": "EURUSD", "request": {"action": 1}}.get(param.name, 7)


@pytest.mark.parametrize("name", MT5_FUNCTIONS)
def test_each_function_reaches_the_hook_under_its_own_name(name):
    term = Recording()
    required = [p for p in list(inspect.signature(getattr(Terminal, name)).parameters.values())[1:]
                if p.default is inspect.Parameter.empty]
    given = tuple(_placeholder(p) for p in required)
    result = getattr(term, name)(*given)
    ((called, args, _),) = term.calls
    assert called == name and args[:len(given)] == given
    assert result == (None if name == "shutdown" else name)


D1, D2 = datetime(2017, 1, 2), datetime(2017, 2, 1)


@pytest.mark.parametrize(("call", "expected"), [
    # unnamed parameters go positionally, named ones by keyword, and what is left out (None) not at all
    (lambda t: t.initialize(), ("initialize", (), {})),
    (lambda t: t.initialize("C:/MT5/terminal64.exe", login=5, password="pw", server="S", timeout=9000),
     ("initialize", ("C:/MT5/terminal64.exe",), {"login": 5, "password": "pw", "server": "S", "timeout": 9000})),
    (lambda t: t.initialize(login=5, portable=True), ("initialize", (), {"login": 5, "portable": True})),
    (lambda t: t.login(5, password="pw"), ("login", (5,), {"password": "pw"})),
    (lambda t: t.symbols_get(), ("symbols_get", (), {})),
    (lambda t: t.symbols_get("*USD*"), ("symbols_get", (), {"group": "*USD*"})),
    (lambda t: t.symbol_select("EURUSD"), ("symbol_select", ("EURUSD", True), {})),
    (lambda t: t.symbol_select("EURUSD", False), ("symbol_select", ("EURUSD", False), {})),
    (lambda t: t.positions_get(), ("positions_get", (), {})),
    (lambda t: t.positions_get(ticket=9), ("positions_get", (), {"ticket": 9})),
    (lambda t: t.orders_get(symbol="EURUSD", group=None), ("orders_get", (), {"symbol": "EURUSD"})),
    (lambda t: t.history_deals_get(D1, D2, group="*USD*"), ("history_deals_get", (D1, D2), {"group": "*USD*"})),
    (lambda t: t.history_deals_get(date_from=D1, date_to=D2), ("history_deals_get", (D1, D2), {})),
    (lambda t: t.history_deals_get(position=3), ("history_deals_get", (), {"position": 3})),
    (lambda t: t.history_orders_get(ticket=4), ("history_orders_get", (), {"ticket": 4})),
    (lambda t: t.copy_ticks_from("EURUSD", D1, 10, -1), ("copy_ticks_from", ("EURUSD", D1, 10, -1), {})),
    (lambda t: t.order_calc_profit(0, "EURUSD", 1.0, 1.1, 1.2),
     ("order_calc_profit", (0, "EURUSD", 1.0, 1.1, 1.2), {})),
])
def test_arguments_go_on_as_metatrader5_takes_them(call, expected):
    term = Recording()
    call(term)
    assert term.calls == [expected]


def test_named_parameters_are_keyword_only_as_in_metatrader5():
    with pytest.raises(TypeError):
        Recording().positions_get("EURUSD")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Recording().login(5, "pw")  # type: ignore[misc]


def test_the_sim_server_exposes_exactly_the_functions():
    exposed = {name.removeprefix("exposed_") for name, value in vars(SimTerminalService).items()
               if name.startswith("exposed_") and value is not None}
    assert exposed == set(MT5_FUNCTIONS)
    assert SimTerminalService.exposed_get_service_name is None
    assert SimTerminalService.exposed_get_service_aliases is None


def test_the_seam_package_imports_nothing_else_of_mas():
    """``mas.terminal`` is the bottom layer: it imports only itself, the standard library and numpy."""
    folder = Path(mas.terminal.__file__).parent
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else ["mas.terminal"]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert name.startswith("mas.terminal") or top != "mas", f"{path.name} imports {name}"
                assert top in ("mas", "numpy", "__future__") or top in sys.stdlib_module_names, \
                    f"{path.name} imports {name}"
