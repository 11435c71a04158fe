"""What the web API does, in terms of the application services (:mod:`mas.app`) and the strategy room.

Route handlers only translate HTTP to these calls. A backtest is exactly ``mas backtest``'s: the same strategy
loaders, the same parameters dict, ``run_backtest`` and ``result_document``; so the KPI tiles show the numbers
``mas backtest --json`` writes for the same input.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from typing import Any

from mas.i18n.errors import InputError
from mas.strategy.spec import INDICATOR_OUTPUTS, StrategySpec, spec_from_dict
from mas.web.charts import csv_cell
from mas.web.schemas import (
    BacktestRequest,
    BuiltinSource,
    ExportRequest,
    FileSource,
    SpecSource,
    StrategySource,
    TextSource,
)
from mas.web.store import DocumentText

__all__ = ["backtest_job", "backtest_params", "builtins", "check_spec", "describe_spec", "export",
           "fast_backtest_in_worker", "file_program", "kpis", "load_source", "orders_csv", "parse", "program_name",
           "quick", "run_spec", "source_label", "trades_csv", "warm_up", "watch_replay"]

log = logging.getLogger("mas.web")
_NUMBER_FIELDS = ("period", "fast", "slow", "signal", "nbdev", "k_smooth", "d_smooth", "fastk", "slowk", "slowd")
TRADE_COLUMNS = ("position_id", "symbol", "direction", "volume", "open_time", "open_price", "close_time",
                 "close_price", "sl", "tp", "commission", "swap", "profit", "exit_reason", "is_open")


# ----------------------------------------------------------------------------- strategies


def describe_spec(spec: StrategySpec, lang: str) -> dict[str, Any]:
    """The spec as JSON plus its plain-words reading: every rule and indicator, and the whole explanation."""
    from mas.strategy.explain import describe_condition, explain_spec

    rules = [{"rule": name, "words": describe_condition(condition, spec.indicators, lang)}
             for name, condition in spec.rules().items()]
    indicators = []
    for ind in spec.indicators:
        data = ind.model_dump(mode="json", exclude_none=True)
        numbers = {k: data[k] for k in _NUMBER_FIELDS if k in data}
        indicators.append({"id": ind.id, "kind": ind.kind, "numbers": numbers, "source": data.get("source"),
                           "outputs": list(INDICATOR_OUTPUTS.get(ind.kind, ()))})
    return {"spec": spec.model_dump(mode="json", exclude_none=True), "explanation": explain_spec(spec, lang),
            "rules": rules, "indicators": indicators, "lang": lang}


def parse(text: str, lang: str | None) -> dict[str, Any]:
    """A text -> its spec, read back in plain words (ParseError / AmbiguityError quote the words otherwise)."""
    from mas.strategy.parse import parse_text

    parsed = parse_text(text, lang)
    out = describe_spec(parsed.spec, parsed.lang)
    out["explanation"] = parsed.explanation  # includes the "not used" line
    out["not_used"] = list(parsed.not_used)
    return out


def check_spec(data: dict[str, Any], lang: str) -> dict[str, Any]:
    """An edited spec validated again (SpecError naming each bad field otherwise) and read back."""
    return describe_spec(spec_from_dict(data), lang)


def builtins(lang: str) -> list[dict[str, Any]]:
    """The built-in strategies: name, parameters with defaults, and their rules in plain words."""
    from mas.strategy.builtin_specs import builtin_spec
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    out = []
    for name, cls in BUILTIN_STRATEGIES.items():
        spec = builtin_spec(name)
        out.append({"name": name, "title": cls.__name__, "params": cls.default_params(),
                    "explanation": describe_spec(spec, lang)["explanation"]})
    return out


def source_label(source: StrategySource) -> str:
    """How the runs list names a strategy."""
    if isinstance(source, TextSource):
        text = " ".join(source.text.split())
        return text if len(text) <= 160 else text[:159] + "…"
    if isinstance(source, SpecSource):
        name = source.spec.get("name")
        return f"spec: {name}" if isinstance(name, str) and name else "spec (edited)"
    if isinstance(source, FileSource):
        params = ", ".join(f"{k}={v}" for k, v in source.params.items())
        return f"{source.name}({params})" if params else source.name
    params = ", ".join(f"{k}={v:g}" for k, v in source.params.items())
    return f"{source.name}({params})"


def load_source(source: StrategySource) -> tuple[Any, Any]:
    """(strategy, exact spec or None) for a strategy source, as ``mas backtest`` / ``mas live`` load it."""
    return _load(source)


def _load(source: StrategySource) -> tuple[Any, Any]:
    """(strategy, exact spec or None) as ``mas backtest`` loads them."""
    from mas.app import exact_spec, load_strategy, load_text_strategy

    if isinstance(source, TextSource):
        strategy = load_text_strategy(source.text)
        return strategy, exact_spec(strategy, None, {})
    if isinstance(source, BuiltinSource):
        params = dict(source.params)
        from mas.strategy.builtins import BUILTIN_STRATEGIES

        if source.name not in BUILTIN_STRATEGIES:
            raise InputError("web_app_not_builtin", name=source.name, names=", ".join(BUILTIN_STRATEGIES))
        strategy = load_strategy(source.name, params)
        return strategy, exact_spec(strategy, source.name, params)
    if isinstance(source, FileSource):  # its Python runs now, as 'mas backtest file.py' runs it
        from mas.web.uploads import file_path

        return load_strategy(str(file_path(source.id)), dict(source.params)), None
    from mas.strategy.compiler import compile_spec

    strategy = compile_spec(spec_from_dict(source.spec), name="SpecStrategy")()
    return strategy, exact_spec(strategy, None, {})


def run_spec(request: dict[str, Any]) -> Any:
    """The strategy spec of a stored run's request (its indicators for the chart), or None when it has none."""
    from pydantic import TypeAdapter

    try:
        source = TypeAdapter(StrategySource).validate_python(request.get("strategy"))
        if isinstance(source, FileSource):
            return None  # a file's Python runs only when the user starts it, never to draw a chart
        return _load(source)[1]
    except Exception as exc:  # noqa: BLE001 - the chart is then drawn without indicator lines
        log.info("no spec for the chart: %s", exc)
        return None


# ----------------------------------------------------------------------------- backtests

WARM_UP_PARAMS = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-02", "to": "2017-01-13"}
WARM_UP_TEXT = "buy when RSI(10) < 25, sell when RSI(10) > 75, stop loss 40 pips, take profit 80 pips"
PRESTART_AFTER = 10.0
"""Seconds after the warm-up before the worker processes' fork server starts: only long runs and sweeps need it, and
its imports would take the CPU from the first backtests a user starts (which run in the app's process)."""


def warm_up() -> None:
    """Load the parser and the engines once (imports, JIT compilation: about 2 s) with a small backtest of a built-in
    on the bundled sample, and start the worker processes' fork server a little later (:data:`PRESTART_AFTER`), so
    that the first backtest a user starts is as quick as the next. Never raises."""
    try:
        from mas.app import exact_spec, load_strategy, load_text_strategy, result_document, run_backtest

        strategy = load_strategy("ma", {})
        result_document(run_backtest(strategy, dict(WARM_UP_PARAMS), spec=exact_spec(strategy, "ma", {})))
        strategy = load_text_strategy(WARM_UP_TEXT)  # the parser, the spec compiler, a text strategy's fast path
        DocumentText.of(result_document(run_backtest(strategy, dict(WARM_UP_PARAMS),
                                                     spec=exact_spec(strategy, None, {}))))
        from mas.web.worker import prestart

        prestart(after=PRESTART_AFTER)  # the worker processes' fork server, with the engines imported
    except Exception as exc:  # noqa: BLE001 - only a head start; a real run reports its own errors
        log.debug("warm-up skipped: %s", exc)



def backtest_params(request: BacktestRequest) -> dict[str, Any]:
    """The backtest parameters ``mas backtest`` passes for the same options."""
    return {"symbol": request.symbol.upper(), "timeframe": request.timeframe, "from": request.date_from,
            "to": request.date_to, "model": request.model, "capital": request.capital, "spread": request.spread,
            "commission": request.commission, "leverage": request.leverage, "currency": request.currency,
            "margin_mode": request.margin_mode, "slippage": request.slippage}


PROGRESS_EVERY = 64  # bars between two progress reports / cancel checks of a replay


def watch_replay(strategy: Any, control: Any) -> None:
    """Make ``strategy``'s replay report its progress to ``control`` (a :class:`mas.web.jobs.JobControl`: bars
    done of the replay's total) and stop at the next bar once ``control.cancelled`` is set (``JobCancelled``
    raised from the strategy's ``receive_bars``, which ends the replay). The strategy's own ``receive_bars`` runs
    unchanged; the instance attribute set here is what the replay looks up (as ``mas live`` counts bars)."""
    from mas.client import state_of

    receive = strategy.receive_bars
    seen = 0

    def total() -> int | None:
        session = state_of(strategy).backtest
        so_far = getattr(session, "result_so_far", None) if session is not None else None
        ledger = getattr(so_far, "ledger", None)
        return len(ledger.times) if ledger is not None else None

    def counted(symbol: str, data: dict, is_end: bool) -> Any:
        nonlocal seen
        seen += 1
        if seen == 1:
            control.report(0, total(), "bars")
        if seen % PROGRESS_EVERY == 0 or is_end:
            control.report(seen)
            control.check()
        return receive(symbol, data, is_end)

    strategy.receive_bars = counted


QUICK_BARS = 50_000
"""A fast-path backtest over at most this many bars (about 0.1 s of engine time for the bundled year's 6,225)
runs in the job's thread: a worker process would cost more to start than the run takes."""


def quick(request: BacktestRequest) -> bool:
    """Whether ``request``'s fast-path backtest is short enough to run in the job's thread: its date range holds at
    most :data:`QUICK_BARS` bars of the data it reads (its timeframe's; M1 for the models that replay minutes)."""
    from datetime import date

    from mas.data.timeframes import timeframe_seconds

    if request.date_from is None or request.date_to is None:
        return False  # the whole stored history: its length is not known here
    days = (date.fromisoformat(request.date_to) - date.fromisoformat(request.date_from)).days + 1
    minutes = timeframe_seconds(request.timeframe) // 60 if request.model == "open_prices" else 1
    return days * 1440 // max(minutes, 1) <= QUICK_BARS


def backtest_job(request: BacktestRequest) -> Callable[[Any], DocumentText]:
    """Load the strategy now (a text that does not parse fails here, before a run is queued) and return the job:
    the backtest, returning its ``--json`` document as the store keeps it, reporting bars done / total to the job's
    control and stopping at the next bar when it is cancelled. A strategy with a spec (the fast path, or the event
    engine when the fast path is not exact for it) runs in a worker process that cancel ends at once
    (:mod:`mas.web.worker`), unless the run is :func:`quick` (then cancel discards its result when it ends)."""
    strategy, spec = _load(request.strategy)
    params = backtest_params(request)
    engine = request.engine
    if engine == "event":
        spec = None
    elif engine == "fast" and spec is None:
        raise InputError("web_app_fast_needs_spec")

    def work(control: Any) -> DocumentText:
        control.report(0, None, "loading")
        return DocumentText.of(_backtest_document(strategy, params, spec, engine, control))

    def in_worker(control: Any) -> DocumentText:  # cancel ends the child process at once
        from mas.web.worker import run_in_worker

        control.report(0, None, "loading")
        return run_in_worker(fast_backtest_in_worker, request.model_dump(by_alias=True), on_progress=control.report,
                             check=control.check)

    return work if spec is None or quick(request) else in_worker


def _backtest_document(strategy: Any, params: dict[str, Any], spec: Any, engine: str, control: Any) -> dict[str, Any]:
    from mas.app import result_document, run_backtest

    watch_replay(strategy, control)
    result = run_backtest(strategy, params, spec=spec, engine=engine)
    if result is None or len(result.equity_times) == 0:
        raise InputError("web_app_no_bars")
    control.report(len(result.equity_times), len(result.equity_times), "report")
    control.check()
    return result_document(result)


class _Relay:
    """A job control in a worker process: progress goes to the parent, which ends the process to cancel it."""

    def __init__(self, send: Callable[..., None]) -> None:
        self.send = send

    def report(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        """Send the progress to the parent."""
        self.send(done, total, phase)

    def check(self) -> None:
        """Nothing to check here: the parent stops the process itself."""


def fast_backtest_in_worker(payload: dict[str, Any], send: Callable[..., None]) -> DocumentText:
    """In a worker process (:mod:`mas.web.worker`): the backtest of a request whose strategy has a spec, as
    :func:`backtest_job` runs it (the fast path, or the event engine when the fast path is not exact for it); its
    document already in the JSON text the store keeps (made here, not in the app's process)."""
    request = BacktestRequest.model_validate(payload)
    strategy, spec = _load(request.strategy)
    return DocumentText.of(_backtest_document(strategy, backtest_params(request), spec, request.engine, _Relay(send)))


KPI_KEYS = ("total_return_rate", "win_rate", "profit_factor", "max_drawdown", "sharpe_ratio", "number_of_trades",
            "final_equity")


def kpis(document: dict[str, Any]) -> dict[str, Any]:
    """The KPI tiles' numbers, taken unchanged from a result document (final equity: its last equity point)."""
    metrics = document.get("metrics") or {}
    equity = document.get("equity") or []
    out = {k: metrics.get(k) for k in KPI_KEYS[:-1]}
    out["final_equity"] = equity[-1][1] if equity else None
    return out


def trades_csv(document: dict[str, Any]) -> str:
    """The trades of a result document as CSV (one header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TRADE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for trade in document.get("trades") or []:
        writer.writerow({k: csv_cell(trade.get(k)) for k in TRADE_COLUMNS})
    return buffer.getvalue()


ORDER_COLUMNS = ("time_setup", "ticket", "symbol", "type_name", "volume_initial", "volume_current", "price_open",
                 "sl", "tp", "time_done", "state_name", "comment", "position_id", "rebuilt")
"""The orders table's columns, as MetaTrader 5's tester lists orders (open time, order, symbol, type, volume,
price, S/L, T/P, time, state, comment)."""


def orders_csv(document: dict[str, Any]) -> str:
    """The orders of a result document as CSV (one header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ORDER_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for order in document.get("orders") or []:
        writer.writerow({k: csv_cell(order.get(k)) for k in ORDER_COLUMNS})
    return buffer.getvalue()


def export(request: ExportRequest) -> tuple[str, str | bytes, str]:
    """(file name, content, media type) of the standalone program trading the request's strategy, as ``mas strategy
    export`` writes it (no password in it: a live program logs in with the profile's environment or keyring
    password). An uploaded ``.py`` file is a program already: a zip of the file itself and the runner that runs it
    as ``mas backtest`` (or ``mas live``) does, with the page's settings."""
    from mas.strategy.export import export_program

    if isinstance(request.strategy, FileSource):
        return _export_file(request, request.strategy)
    _strategy, spec = _load(request.strategy)
    if spec is None:
        raise InputError("web_app_export_kinds")
    source = export_program(spec, symbol=request.symbol, timeframe=request.timeframe, date_from=request.date_from,
                            date_to=request.date_to, capital=request.capital, backtest=not request.live,
                            profile=request.profile)
    name = "".join(c if c.isalnum() or c in "_-" else "_" for c in (spec.name or "strategy"))[:60] or "strategy"
    return f"{name}{'_live' if request.live else ''}.py", source, "text/x-python; charset=utf-8"


def program_name(source: FileSource) -> str:
    """The file name an uploaded strategy is exported under: its own name as a plain module name (``.py``)."""
    stem = source.name[:-3] if source.name.lower().endswith(".py") else source.name
    stem = "".join(c if c.isalnum() or c == "_" else "_" for c in stem)[:60].strip("_") or "strategy"
    return f"{'s_' if stem[0].isdigit() else ''}{stem}.py"


def file_program(request: ExportRequest, source: FileSource) -> dict[str, bytes]:
    """The files of an uploaded strategy's program: ``{file name: content}`` of the strategy file itself and of the
    runner that runs it as ``mas backtest`` / ``mas live`` do, with the request's settings."""
    from mas.strategy.export import file_runner
    from mas.web.uploads import file_path

    name = program_name(source)
    runner, text = file_runner(name, symbol=request.symbol or "EURUSD", timeframe=request.timeframe or "H1",
                               date_from=request.date_from, date_to=request.date_to, capital=request.capital,
                               backtest=not request.live, profile=request.profile, params=dict(source.params))
    return {name: file_path(source.id).read_bytes(), runner: text.encode("utf-8")}


def _export_file(request: ExportRequest, source: FileSource) -> tuple[str, bytes, str]:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in file_program(request, source).items():
            archive.writestr(name, content)
    stem = program_name(source)[:-3]
    return f"{stem}{'_live' if request.live else ''}.zip", buffer.getvalue(), "application/zip"
