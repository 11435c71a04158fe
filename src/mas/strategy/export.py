"""Spec -> a readable standalone Python program on the public ``mas`` API, written like the MAS
docs' examples (``class MAS_Client(mas)``, ``receive_bars``, ``main()`` with login placeholders and
a ``BACKTEST`` flag). It trades exactly like the compiled spec (:mod:`mas.strategy.compiler`): the
same indicators (``mas.strategy.indicators``), the same three-valued conditions, the same order,
stop and exit handling. Only validated specs are exported; the program is never run here.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from mas.i18n.errors import Text
from mas.strategy.conditions import RULE_NAMES, operand_scale
from mas.strategy.explain import explain_spec
from mas.strategy.spec import (
    INDICATOR_OUTPUTS,
    WEEKDAYS,
    AllOf,
    AnyOf,
    Between,
    Compare,
    Cross,
    Distance,
    ForBars,
    Not,
    Sequence,
    StrategySpec,
    Sum,
    Trend,
    parse_operand,
)

__all__ = ["executable_command", "export_program", "file_runner"]

_CLASSES = {"sma": "SMA", "ema": "EMA", "wma": "WMA", "rsi": "RSI", "macd": "MACD", "bbands": "BollingerBands",
            "kd": "KD", "stoch": "Stochastic", "atr": "ATR", "adx": "ADX", "cci": "CCI", "willr": "WilliamsR",
            "highest": "Highest", "lowest": "Lowest"}
_ARGS = {"sma": ("period",), "ema": ("period",), "wma": ("period",), "rsi": ("period",),
         "macd": ("fast", "slow", "signal"), "bbands": ("period", "nbdev"), "kd": ("period", "k_smooth", "d_smooth"),
         "stoch": ("fastk", "slowk", "slowd"), "atr": ("period",), "adx": ("period",), "cci": ("period",),
         "willr": ("period",), "highest": ("period",), "lowest": ("period",)}
_ATTRIBUTES = {"line": "macd", "signal": "signal", "hist": "hist", "upper": "upper", "middle": "middle",
               "lower": "lower", "k": "k", "d": "d"}

_HELPERS = {
    "compare": '''
def compare(a, op, b):
    """a op b, or None while either value is unknown (an indicator warming up)."""
    if a is None or b is None:
        return None
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
''',
    "all_of": '''
def all_of(*values):
    """AND of conditions that may be unknown (None): False wins, then None."""
    if False in values:
        return False
    return None if None in values else True
''',
    "any_of": '''
def any_of(*values):
    """OR of conditions that may be unknown (None): True wins, then None."""
    if True in values:
        return True
    return None if None in values else False
''',
    "Crossing": '''
class Crossing:
    """a crosses above b: before a <= b, now a > b (below: before a >= b, now a < b).
    Differences within 1e-10 of the lines' scale are rounding noise and count as equal."""

    def __init__(self, above, raw_scale=False):
        self.above = above
        self.raw_scale = raw_scale  # scale by the values themselves (volume, plain numbers)
        self.prev = None  # a - b on the previous bar

    def update(self, a, b, scale):
        if a is None or b is None:
            self.prev = None
            return None
        if self.raw_scale:
            scale = max(scale, abs(a), abs(b))
        diff = a - b
        if abs(diff) <= 1e-10 * scale:
            diff = 0.0
        prev, self.prev = self.prev, diff
        if prev is None:
            return None
        return prev <= 0.0 < diff if self.above else prev >= 0.0 > diff
''',
    "moved": '''
def moved(now, then, scale, up):
    """now above (up) or below `then`, ignoring differences within 1e-10 of the scale; None if unknown."""
    if now is None or then is None:
        return None
    if scale is None:  # no natural scale (volume, plain numbers): the values' own size
        scale = max(abs(now), abs(then))
    diff = now - then
    if abs(diff) <= 1e-10 * scale:
        diff = 0.0
    return diff > 0.0 if up else diff < 0.0
''',
    "Lookback": '''
class Lookback:
    """The value of a series a fixed number of bars ago."""

    def __init__(self, bars):
        self.values = deque([None] * (bars + 1), maxlen=bars + 1)

    def update(self, value):
        self.values.append(value)
        return self.values[0]
''',
    "total": '''
def total(terms, plus):
    """Arithmetic on values: times x value of each (times, value) term, added in order, then plus; None while a
    value is unknown."""
    if any(value is None for _, value in terms):
        return None
    result = terms[0][0] * terms[0][1]
    for times, value in terms[1:]:
        result = result + times * value
    return result + plus
''',
    "Recent": '''
class Recent:
    """"A then B within N bars": True when B holds now and A held on one of the N bars before (None while that
    is unknown: the first bars, or an indicator warming up)."""

    def __init__(self, bars):
        self.window = deque([None] * bars, maxlen=bars)

    def update(self, first, then):
        happened = True if True in self.window else (None if None in self.window else False)
        self.window.append(first)
        return all_of(then, happened)
''',
    "Streak": '''
class Streak:
    """True when a condition held on each of the last `bars` bars."""

    def __init__(self, bars):
        self.bars = bars
        self.run = 0

    def update(self, held):
        self.run = self.run + 1 if held else 0
        return True if self.run >= self.bars else (None if held is None else False)
''',
}

_TRADING = '''
    # ---------------------------------------------------------------- trading
    def manage(self, symbol, data, entry_long, exit_long, entry_short, exit_short):
        """Exits first, then trailing stops, then entries (see the rules at the top)."""
        for trade in list(self.trades):
            exit_rule = exit_long if trade["is_long"] else exit_short
            held = self.bar_index - trade["signal_bar"]
            expired = EXIT_AFTER_BARS is not None and held >= EXIT_AFTER_BARS
            if trade["filled"] and (exit_rule or expired):
                self.close(symbol, trade)
        if TRAILING_STOP is not None:
            for trade in self.trades:
                if trade["filled"]:
                    self.trail(trade, data)
        if (entry_long and not exit_long) or (entry_short and not exit_short):
            if self.entries_allowed(data["time"]):
                if entry_long and not exit_long:
                    self.open(symbol, data, is_long=True)
                if entry_short and not exit_short:
                    self.open(symbol, data, is_long=False)

    def open(self, symbol, data, is_long):
        if len(self.trades) >= MAX_OPEN_POSITIONS:
            return
        digits, point = self.info["digits"], self.info["point"]
        # the price we can expect: the ask (close + spread) for a buy, the bid (close) for a sell
        price = data["close"] + data.get("spread", 0) * point if is_long else data["close"]
        sign = 1.0 if is_long else -1.0
        order = {"symbol": symbol, "order_type": "buy" if is_long else "sell", "backtest_toggle": BACKTEST}
        sl = 0.0
        for name, distance, direction in (("sl", STOP_LOSS or TRAILING_STOP, -sign), ("tp", TAKE_PROFIT, sign)):
            if distance is None:
                continue
            offset = self.distance(distance, price)
            if offset is None:  # the ATR is still warming up
                return
            order[name] = round(price + direction * offset, digits)
            if name == "sl":
                sl = order["sl"]
        volume = VOLUME if RISK_PERCENT is None else self.risk_volume(symbol, price, sl, is_long)
        if volume is None:
            return
        order["volume"] = volume
        order_id = self.send_order(order)  # None if the order was rejected
        if order_id is not None:  # live, a market order's fill arrives before send_order returns
            filled = order_id in self.early_fills
            self.early_fills.discard(order_id)
            self.trades.append({"order_id": order_id, "is_long": is_long, "volume": volume,
                                "signal_bar": self.bar_index, "filled": filled, "sl": sl})

    def close(self, symbol, trade):
        order = {
            "symbol": symbol,
            "order_type": "sell" if trade["is_long"] else "buy",
            "volume": trade["volume"],
            "order_id": trade["order_id"],  # an order carrying the entry's id closes that position
            "backtest_toggle": BACKTEST,
        }
        if self.send_order(order) is not None:
            self.trades.remove(trade)

    def trail(self, trade, data):
        """Move the stop loss toward the price, never away from it."""
        digits = self.info["digits"]
        bid = data["close"]
        ask = bid + data.get("spread", 0) * self.info["point"]
        offset = self.distance(TRAILING_STOP, bid if trade["is_long"] else ask)
        if offset is None:
            return
        if trade["is_long"]:
            new_sl = round(bid - offset, digits)
            better = new_sl < bid and (trade["sl"] == 0.0 or new_sl > trade["sl"])
        else:
            new_sl = round(ask + offset, digits)
            better = new_sl > ask and (trade["sl"] == 0.0 or new_sl < trade["sl"])
        if better and self.modify_position_sltp({"position_id": trade["order_id"], "sl": new_sl,
                                                 "backtest_toggle": BACKTEST}):
            trade["sl"] = new_sl

    def distance(self, distance, price):
        """A (unit, value, ATR period) distance as a price offset; None while the ATR warms up."""
        unit, value, atr_period = distance
        if unit == "pips":  # 1 pip = 10 points on 5- and 3-digit quotes
            digits, point = self.info["digits"], self.info["point"]
            return value * (point * 10 if digits in (3, 5) else point)
        if unit == "points":
            return value * self.info["point"]
        if unit == "percent":
            return price * value / 100.0
        atr = self.stop_atrs[atr_period].value
        return None if atr is None else value * atr

    def risk_volume(self, symbol, price, sl, is_long):
        """The volume that loses RISK_PERCENT of equity at the stop loss (None if below the minimum)."""
        equity = self.get_account_info().get("equity")
        loss = self.calc_order_profit({"action": "buy" if is_long else "sell", "symbol": symbol, "volume": 1.0,
                                       "price_open": price, "price_close": sl})
        if not equity or loss is None or loss >= 0:
            return None
        step = self.info["volume_step"]
        steps = math.floor(equity * RISK_PERCENT / 100.0 / -loss / step + 1e-9)
        volume = round(min(steps * step, self.info["volume_max"]), 8)
        return volume if volume >= self.info["volume_min"] else None

    def entries_allowed(self, when):
        if WEEKDAYS and when.weekday() not in WEEKDAYS:
            return False
        if not SESSIONS:
            return True
        minute = when.hour * 60 + when.minute
        for start, end in SESSIONS:
            if (start <= minute < end) if start < end else (minute >= start or minute < end):
                return True
        return False

    def symbol_info(self, symbol):
        for row in self.get_symbols({"group": symbol}):
            if row["name"] == symbol:
                return row
        return {"digits": 5, "point": 1e-5, "volume_min": 0.01, "volume_max": 100.0, "volume_step": 0.01}

    # ---------------------------------------------------------------- callbacks
    def receive_order_execution(self, order_id, execution_data):
        print(
            "receive_order_execution:",
            order_id,
            execution_data["time"],
            execution_data["type"],
            execution_data["volume"],
            execution_data["symbol"],
            "@",
            execution_data["price"],
            execution_data.get("reason", ""),
        )
        entry = execution_data.get("entry")
        if entry == "in" and not any(trade["order_id"] == order_id for trade in self.trades):
            self.early_fills.add(order_id)  # send_order has not returned yet: open() marks the trade filled
        for trade in self.trades:
            if entry == "in" and trade["order_id"] == order_id:
                trade["filled"] = True
            elif (entry == "out" and execution_data.get("reason") in ("sl", "tp", "stop_out")
                  and trade["order_id"] == str(execution_data.get("position_id"))):
                self.trades.remove(trade)  # the server closed it (stop loss, take profit, stop-out)
                return

    def receive_order_status(self, order_id, status_data):
        state = status_data.get("state")
        if state is not None:
            dead = state in (2, 5, 6)  # MT5 ORDER_STATE_CANCELED, REJECTED, EXPIRED
        else:
            dead = status_data.get("retcode", status_data.get("status")) not in (10008, 10009, 10010)
        if dead:
            print("receive_order_status:", order_id, status_data.get("retcode"), status_data.get("message"))
            self.trades = [t for t in self.trades if t["filled"] or t["order_id"] != order_id]
'''

_MAIN = '''

def main():
    mas_client = MAS_Client()
    try:
        if PROFILE:  # a broker profile (mas broker add): its password comes from the environment or keyring
            login_params = {"profile": PROFILE}
        else:
            login_params = {"account": "YOUR_ACCOUNT", "password": "YOUR_PASSWORD", "server": "YOUR_SERVER"}
        if not mas_client.login(login_params):
            print("Not logged in: fill in your MT5 account to trade live (backtests need no login).")
    except Exception as e:
        print(f"Login failed: {e}")

    mas_client.subscribe_bars(
        {
            "symbol": SYMBOL,
            "timeframe": TIMEFRAME,
            "from": FROM,
            "to": TO,
            "captital": CAPITAL,
            "backtest_toggle": BACKTEST,
        }
    )
    if not BACKTEST:  # live: bars keep arriving in the background until we stop
        input("Trading live. Press Enter to stop.\\n")
        mas_client.stop_all_subscriptions()

    account = mas_client.get_account_info()
    print(f"Balance {account.get('balance')} {account.get('currency')}, equity {account.get('equity')}")
    report = mas_client.generate_data_report()
    if report["status"]:
        metrics = report["data"]["performance_metrics"]
        print("Trades:", metrics["number_of_trades"])
        print("Total profit/loss:", report["data"]["general_data"]["total_profit_loss"])
        print("Win rate %:", metrics["win_rate"], " Max drawdown %:", metrics["max_drawdown"])
        print("Sharpe ratio:", metrics["sharpe_ratio"], " Profit factor:", metrics["profit_factor"])
    else:
        print("No report:", report["error"])


if __name__ == "__main__":
    main()
'''


def _variable(operand: str) -> str:
    name, output, back = parse_operand(operand)
    text = name if output is None else f"{name}_{output}"
    if back:
        text += f"_{back}_bar{'s' if back > 1 else ''}_ago"
    return f"{text}_" if keyword.iskeyword(text) else text


def _literal(value: float) -> str:
    return repr(float(value))


class _Writer:
    """Builds the program's per-bar code from a spec, node by node (children before parents)."""

    def __init__(self, spec: StrategySpec) -> None:
        self.spec = spec
        self.kinds = {i.id: i for i in spec.indicators}
        self.helpers: set[str] = set()
        self.init: list[str] = []
        self.values: list[str] = []
        self.lookbacks: list[str] = []
        self.conditions: list[str] = []
        self.seen: set[str] = set()
        self.count = 0

    def operand(self, operand: float | str | Sum) -> str:
        if isinstance(operand, (int, float)):
            return _literal(operand)
        if isinstance(operand, Sum):
            return self._sum(operand)
        name, output, back = parse_operand(operand)
        if name in self.kinds and output is None:
            output = INDICATOR_OUTPUTS.get(self.kinds[name].kind, (None,))[0]
        current = name if output is None else f"{name}.{output}"
        variable = _variable(current)
        if current not in self.seen:
            self.seen.add(current)
            if name not in self.kinds:
                self.values.append(f'{variable} = data["{name}"]')
            elif output is None:
                self.values.append(f"{variable} = self.{name}.value")
            else:
                self.values.append(f"{variable} = self.{name}.value.{_ATTRIBUTES[output]} "
                                   f"if self.{name}.value is not None else None")
        if not back:
            return variable
        past = _variable(f"{current}[{back}]")
        if past not in self.seen:
            self.seen.add(past)
            self.helpers.add("Lookback")
            self.init.append(f"self.{past} = Lookback({back})  # {current} {back} bar(s) ago")
            self.lookbacks.append(f"{past} = self.{past}.update({variable})")
        return past

    def _sum(self, operand: Sum) -> str:
        """A variable holding the sum, computed after every value it reads (lookbacks included)."""
        terms = ", ".join(f"({_literal(t.times)}, {self.operand(t.operand)})" for t in operand.terms)
        line = f"total(({terms},), {_literal(operand.plus)})"
        for existing in self.lookbacks:
            if existing.endswith(f" = {line}"):
                return existing.split(" = ", 1)[0]
        self.helpers.add("total")
        variable = f"expr_{sum(1 for x in self.lookbacks if ' = total((' in x) + 1}"
        self.lookbacks.append(f"{variable} = {line}")
        return variable

    def _past(self, value: float | str | Sum, bars: int) -> str:
        """``value`` ``bars`` bars ago."""
        if isinstance(value, str):
            return self.operand(f"{value}[{bars}]")
        if isinstance(value, Sum):
            current = self.operand(value)
            past = f"{current}_{bars}_bar{'s' if bars > 1 else ''}_ago"
            if past not in self.seen:
                self.seen.add(past)
                self.helpers.add("Lookback")
                self.init.append(f"self.{past} = Lookback({bars})  # {current} {bars} bar(s) ago")
                self.lookbacks.append(f"{past} = self.{past}.update({current})")
            return past
        return self.operand(value)

    def node(self, condition: Any) -> str:
        if isinstance(condition, Compare):
            expression = f'compare({self.operand(condition.left)}, "{condition.op}", {self.operand(condition.right)})'
            self.helpers.add("compare")
        elif isinstance(condition, Cross):
            left, right = self.operand(condition.left), self.operand(condition.right)
            categories = {operand_scale(x, self.kinds) for x in (condition.left, condition.right)}
            scales = [s for c, s in (("price", "abs(close)"), ("oscillator", "100.0")) if c in categories]
            scale = scales[0] if len(scales) == 1 else f"max({', '.join(scales)})" if scales else "0.0"
            name = self._stateful(f"Crossing(above={condition.kind == 'crosses_above'}"
                                  f"{', raw_scale=True' if 'raw' in categories else ''})", "Crossing")
            expression = f"self.{name}.update({left}, {right}, {scale})"
        elif isinstance(condition, Between):
            value = self.operand(condition.value)
            low, high = self.operand(condition.low), self.operand(condition.high)
            self.helpers.update({"compare", "all_of"})
            expression = f'all_of(compare({low}, "<=", {value}), compare({value}, "<=", {high}))'
        elif isinstance(condition, Trend):
            value = self.operand(condition.value)
            past = self._past(condition.value, condition.bars)
            self.helpers.add("moved")
            scale = {"price": "abs(close)", "oscillator": "100.0", "raw": "None"}[
                operand_scale(condition.value, self.kinds)]
            expression = f"moved({value}, {past}, {scale}, up={condition.kind == 'rising'})"
        elif isinstance(condition, ForBars):
            inner = self.node(condition.condition)
            name = self._stateful(f"Streak({condition.bars})", "Streak")
            expression = f"self.{name}.update({inner})"
        elif isinstance(condition, Sequence):
            first, then = self.node(condition.first), self.node(condition.then)
            self.helpers.add("all_of")
            name = self._stateful(f"Recent({condition.within})", "Recent")
            expression = f"self.{name}.update({first}, {then})"
        elif isinstance(condition, (AllOf, AnyOf)):
            parts = [self.node(child) for child in condition.conditions]
            helper = "all_of" if isinstance(condition, AllOf) else "any_of"
            self.helpers.add(helper)
            expression = f"{helper}({', '.join(parts)})"
        elif isinstance(condition, Not):
            inner = self.node(condition.condition)
            expression = f"None if {inner} is None else not {inner}"
        else:  # pragma: no cover - the spec's union is closed
            raise TypeError(f"unknown condition {condition!r}")
        self.count += 1
        variable = f"c{self.count}"
        self.conditions.append(f"{variable} = {expression}")
        return variable

    def _stateful(self, constructor: str, helper: str) -> str:
        self.helpers.add(helper)
        name = f"state_{self.count + 1}"
        self.init.append(f"self.{name} = {constructor}")
        return name


def _indicator_lines(spec: StrategySpec) -> tuple[list[str], list[str]]:
    """(constructor lines, update lines) of the spec's indicators."""
    init, update = [], []
    for ind in spec.indicators:
        args = ", ".join(_literal(v) if isinstance(v, float) else str(v) for v in
                         (getattr(ind, a) for a in _ARGS[ind.kind]))
        init.append(f"self.{ind.id} = {_CLASSES[ind.kind]}({args})")
        if ind.kind in ("kd", "stoch", "atr", "adx", "cci", "willr"):
            update.append(f'self.{ind.id}.update(data["high"], data["low"], data["close"])')
        else:
            field = ind.field if ind.kind in ("highest", "lowest") else ind.source
            update.append(f'self.{ind.id}.update(data["{field}"])')
    return init, update


def _distance_literal(distance: Distance | None) -> str:
    if distance is None:
        return "None"
    return f'("{distance.unit}", {_literal(distance.value)}, {distance.atr_period})'


def _settings(spec: StrategySpec, symbol: str, timeframe: str, date_from: str, date_to: str, capital: float,
              backtest: bool, profile: str | None) -> str:
    risk, filters = spec.risk, spec.filters
    sessions = ", ".join(f"({s.minutes()[0]}, {s.minutes()[1]})" for s in filters.sessions)
    weekdays = ", ".join(str(WEEKDAYS.index(d)) for d in filters.weekdays)
    lines = [
        f'SYMBOL = "{symbol}"',
        f'TIMEFRAME = "{timeframe}"',
        f'FROM = "{date_from}"  # backtest range',
        f'TO = "{date_to}"',
        f"CAPITAL = {capital:g}  # initial capital of the backtest account",
        f"VOLUME = {risk.lots:g}  # lots per trade",
        f"RISK_PERCENT = {risk.risk_percent if risk.risk_percent is None else f'{risk.risk_percent:g}'}"
        "  # % of equity lost at the stop loss (sizes each trade), or None to trade VOLUME",
        "# distances: (unit, value, ATR period), unit pips, points, percent (of the entry price) or atr (multiples)",
        f"STOP_LOSS = {_distance_literal(risk.stop_loss)}",
        f"TAKE_PROFIT = {_distance_literal(risk.take_profit)}",
        f"TRAILING_STOP = {_distance_literal(risk.trailing_stop)}",
        f"EXIT_AFTER_BARS = {risk.exit_after_bars}  # close a position held this many bars (None: never)",
        f"MAX_OPEN_POSITIONS = {risk.max_open_positions}",
        f"SESSIONS = [{sessions}]  # enter only in these (start, end) minutes of the day; [] = any time",
        f"WEEKDAYS = [{weekdays}]  # enter only on these days, 0 = Monday; [] = any day",
        f"BACKTEST = {backtest}  # False: send the orders to your MT5 account instead",
        f"PROFILE = {profile!r}  # broker profile to log in with (None: the login placeholders in main())",
    ]
    return "\n".join(lines)


def export_program(spec: StrategySpec, *, symbol: str | None = None, timeframe: str | None = None,
                   date_from: str = "2017-01-01", date_to: str = "2017-12-31", capital: float = 10_000.0,
                   backtest: bool = True, profile: str | None = None) -> str:
    """The source of a standalone program trading ``spec`` (backtest by default, live with ``backtest=False``,
    logging in with the broker ``profile`` when one is named; no password is ever written into it)."""
    if not isinstance(spec, StrategySpec):
        raise ValueError(Text("spec_export_needs_spec"))
    if profile is not None and not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", profile):
        raise ValueError(Text("spec_export_profile_name", profile=profile))
    symbol = (symbol or spec.symbol or "EURUSD").upper()
    timeframe = (timeframe or spec.timeframe or "H1").upper()
    for name, value in (("symbol", symbol), ("timeframe", timeframe), ("date_from", date_from), ("date_to", date_to)):
        if not re.fullmatch(r"[A-Za-z0-9._#: -]{1,32}", value):
            raise ValueError(Text("spec_export_plain_value", name=name, value=value))
    writer = _Writer(spec)
    rule_lines = []
    for name in RULE_NAMES:
        condition = getattr(spec, name)
        if condition is None:
            rule_lines.append(f"{name} = False")
        else:
            rule_lines.append(f"{name} = {writer.node(condition)} is True")
    indicator_init, indicator_update = _indicator_lines(spec)
    atr_periods = sorted({d.atr_period for d in (spec.risk.stop_loss, spec.risk.take_profit, spec.risk.trailing_stop)
                          if d is not None and d.unit == "atr"})
    classes = sorted({_CLASSES[i.kind] for i in spec.indicators} | ({"ATR"} if atr_periods else set()))
    rules = "\n".join(f"    {line}" for line in explain_spec(spec, "en").splitlines())
    header = (f'"""{spec.name or "A strategy"} on {symbol} {timeframe}, exported by `mas strategy export` from a '
              f"validated strategy spec.\n\n{rules}\n\nSignals are computed at each bar's close; in a backtest the "
              "market orders fill at the next bar's open.\nRun it as it is: the backtest uses the sample data that "
              "ships with the SDK and needs no broker.\nTo trade the same rules live, fill in your MT5 account below "
              'and set BACKTEST = False.\n"""\n')
    imports = ["import math"]
    if writer.helpers & {"Lookback", "Recent"}:
        imports.append("from collections import deque")
    imports += ["", "import mas", f"from mas.strategy.indicators import {', '.join(classes)}"]
    order = ("compare", "all_of", "any_of", "total", "moved", "Crossing", "Lookback", "Streak", "Recent")
    helpers = "".join("\n" + _HELPERS[h] for h in order if h in writer.helpers)
    init = indicator_init + writer.init + [f"self.stop_atrs = {{{', '.join(f'{p}: ATR({p})' for p in atr_periods)}}}"
                                           "  # ATRs of the ATR-based stops"]
    body = [
        "class MAS_Client(mas):",
        "    def __init__(self):",
        "        super().__init__()",
        *(f"        {line}" for line in init),
        "        self.bar_index = -1  # bars seen so far, minus one",
        "        self.trades = []  # positions we opened (and entries on their way to a fill)",
        "        self.early_fills = set()  # entries whose fill came before send_order returned",
        "        self.info = None  # the symbol's digits, point and volume limits",
        "",
        "    def receive_bars(self, symbol, data, is_end):",
        "        if self.info is None:",
        "            self.info = self.symbol_info(symbol)",
        *(['        close = data["close"]'] if any("abs(close)" in line for line in writer.conditions) else []),
        "        # indicators: one update per bar; a value is None while the indicator warms up",
        *(f"        {line}" for line in indicator_update),
        *(f"        {line}" for line in writer.values + writer.lookbacks),
        "        # conditions: True, False or None (unknown while warming up); a rule fires only when True",
        *(f"        {line}" for line in writer.conditions + rule_lines),
        "        for atr in self.stop_atrs.values():",
        '            atr.update(data["high"], data["low"], data["close"])',
        "        self.bar_index += 1",
        "        if is_end:  # an order on the last bar of a backtest could never fill",
        "            return",
        "        self.manage(symbol, data, entry_long, exit_long, entry_short, exit_short)",
    ]
    settings = _settings(spec, symbol, timeframe, date_from, date_to, capital, backtest, profile)
    return (header + "\n" + "\n".join(imports) + "\n\n" + settings + "\n" + helpers + "\n\n" + "\n".join(body) + "\n"
            + _TRADING + _MAIN)


_RUNNER = '''"""Runs {strategy} exactly as `mas backtest {strategy}` runs it (or, with BACKTEST = False, as
`mas live {strategy} --profile PROFILE`), with the settings below; exported by the mas web app.
Keep this program and {strategy} in one folder; it needs the mas package (pip install mas-sdk).
More options after the program's name go to the command, e.g. `python {runner} --json result.json`.
"""

import sys
from pathlib import Path

from mas.cli import main as mas

STRATEGY = {strategy!r}  # the strategy file, next to this program
BACKTEST = {backtest!r}  # False: trade live on the broker profile below (mas broker add)
PROFILE = {profile!r}  # its password stays in the environment or the keyring
SYMBOL = {symbol!r}
TIMEFRAME = {timeframe!r}
DATE_FROM = {date_from!r}
DATE_TO = {date_to!r}
CAPITAL = {capital!r}
PARAMS = {params!r}  # the strategy's keyword parameters (--param NAME=VALUE)


def main():
    folder = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))  # an executable unpacks it here
    strategy = str(folder / STRATEGY)
    if BACKTEST:
        command = ["backtest", strategy, "--from", DATE_FROM, "--to", DATE_TO, "--capital", str(CAPITAL)]
    elif PROFILE is None:
        sys.exit("Set PROFILE to the broker profile to trade on (mas broker add NAME ...).")
    else:
        command = ["live", strategy, "--profile", PROFILE]
    command += ["--symbol", SYMBOL, "--timeframe", TIMEFRAME]
    command += [f"--param={{name}}={{value}}" for name, value in PARAMS.items()]
    sys.argv = ["mas", *command, *sys.argv[1:]]
    mas()


if __name__ == "__main__":
    main()
'''


def file_runner(strategy: str, *, symbol: str = "EURUSD", timeframe: str = "H1", date_from: str = "2017-01-01",
                date_to: str = "2017-12-31", capital: float = 10_000.0, backtest: bool = True,
                profile: str | None = None, params: dict[str, Any] | None = None) -> tuple[str, str]:
    """``(file name, source)`` of the program that runs the strategy file named ``strategy`` (kept beside it) as
    ``mas backtest`` / ``mas live`` run it, with these settings; nothing is run here."""
    values: dict[str, Any] = dict(params or {})
    for name, value in values.items():
        if not (isinstance(name, str) and name.isidentifier()) or not isinstance(value, (int, float, str, bool)):
            raise ValueError(Text("spec_export_param_value", name=name))
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}\.py", strategy):
        raise ValueError(Text("spec_export_strategy_file", strategy=strategy))
    if profile is not None and not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", profile):
        raise ValueError(Text("spec_export_profile_name", profile=profile))
    symbol, timeframe = symbol.upper(), timeframe.upper()
    for name, value in (("symbol", symbol), ("timeframe", timeframe), ("date_from", date_from), ("date_to", date_to)):
        if not re.fullmatch(r"[A-Za-z0-9._#: -]{1,32}", value):
            raise ValueError(Text("spec_export_plain_value", name=name, value=value))
    runner = f"run_{strategy[:-3]}.py"
    return runner, _RUNNER.format(strategy=strategy, runner=runner, backtest=backtest, profile=profile, symbol=symbol,
                                  timeframe=timeframe, date_from=date_from, date_to=date_to, capital=float(capital),
                                  params=values)


def executable_command(program: str, dist: str, work: str, *, data: tuple[str, ...] = (),
                       modules: tuple[str, ...] = ()) -> list[str]:
    """The PyInstaller command (``python -m PyInstaller ...``) building the exported ``program`` into one file in
    ``dist``, as ``mas strategy export --exe`` builds it; ``data`` are files put beside the program inside it
    (a strategy file its runner runs) and ``modules`` the modules PyInstaller should follow the imports of. The
    build reads the program; it does not run it."""
    import importlib.util
    import os
    import sys

    from mas.build_info import ENGINE_GROUP

    engine = f"{ENGINE_GROUP}__mypyc"
    hidden = ["--hidden-import", engine] if importlib.util.find_spec(engine) is not None else []
    folder = os.path.dirname(os.path.abspath(program))
    extra: list[str] = []
    for path in data:
        extra += ["--add-data", f"{path}{os.pathsep}."]
    for module in modules:
        extra += ["--hidden-import", module]
    return [sys.executable, "-m", "PyInstaller", "--onefile", "--noconfirm", "--clean", "--collect-data", "mas",
            # the compiled engine's modules import from C, where PyInstaller's analysis does not look
            "--collect-submodules", "mas", *hidden, "--paths", folder, *extra, "--distpath", dist,
            "--workpath", work, "--specpath", work, program]
