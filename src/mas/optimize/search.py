"""Search methods over a parameter space: exhaustive grid, seeded random, Bayesian (Optuna).

Each method draws parameter sets, hands the ones that satisfy the constraints to a backend and
collects the trials in drawing order:

- ``grid``: every combination in grid order; those a constraint excludes become skipped rows.
- ``random``: ``trials`` distinct combinations in an order fixed by ``seed`` (combinations a
  constraint excludes are passed over, not counted).
- ``optuna``: TPE (seeded) proposes ``trials`` sets in batches of ``OPTUNA_BATCH``, told the
  objective of each batch before proposing the next; a fixed batch size keeps the proposals the
  same whatever the number of workers. Each parameter is searched over the index of its values,
  so float steps stay exact and ordered values stay ordered. A set proposed twice is not run
  again; combinations a constraint excludes are told to Optuna as failed and passed over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mas.i18n.errors import InputError
from mas.optimize.constraints import Constraint, violated_constraint
from mas.optimize.evaluate import Window
from mas.optimize.executors import Backend
from mas.optimize.results import SKIPPED, OptimizationResult, Trial, objective_value
from mas.optimize.space import ParamSpace

__all__ = ["METHODS", "OPTUNA_BATCH", "SearchSettings", "search"]

METHODS = ("grid", "random", "optuna")
OPTUNA_BATCH = 8
DEFAULT_TRIALS = 100
Progress = Callable[[int, int], None]
"""``progress(done, total)``."""


@dataclass(frozen=True)
class SearchSettings:
    """What to search and how: space, constraints, objective, method and its budget."""

    space: ParamSpace
    metric: str
    maximize: bool = True
    method: str = "grid"
    trials: int | None = None
    seed: int | None = 0
    constraints: tuple[Constraint, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError("opt_method_unknown", value=self.method, valid=", ".join(METHODS))
        if self.method == "grid" and self.trials is not None:
            raise InputError("opt_trials_grid")
        if self.trials is not None and self.trials < 1:
            raise InputError("opt_expected_one_or_more", option="--trials", value=self.trials)
        for constraint in self.constraints:
            constraint.check_names(self.space.names)

    @property
    def budget(self) -> int:
        """How many parameter sets the method draws (at most)."""
        if self.method == "grid":
            return self.space.size
        return min(self.trials or DEFAULT_TRIALS, self.space.size)


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def __call__(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done, self.total)


def search(settings: SearchSettings, backend: Backend, progress: Progress | None = None,
           window: Window | None = None) -> OptimizationResult:
    """Run the search on ``backend`` (over the candles of ``window`` when given)."""
    counter = _Counter(settings.budget, progress)
    if settings.method == "optuna":
        trials = _optuna(settings, backend, counter, window)
    else:
        trials = _draw_and_run(settings, backend, counter, window)
    return OptimizationResult(trials, settings.metric, settings.maximize, list(settings.space.names))


def _draw_and_run(settings: SearchSettings, backend: Backend, counter: _Counter, window: Window | None) -> list[Trial]:
    if settings.method == "grid":
        drawn = list(settings.space.grid())
        reasons = [violated_constraint(settings.constraints, p) for p in drawn]
    else:
        drawn, reasons = [], []
        for params in settings.space.random_order(settings.seed):
            if violated_constraint(settings.constraints, params) is None:
                drawn.append(params)
                reasons.append(None)
                if len(drawn) == settings.budget:
                    break
        counter.total = len(drawn)
    trials: list[Trial | None] = [None] * len(drawn)
    runnable = []
    for index, (params, reason) in enumerate(zip(drawn, reasons, strict=True)):
        if reason is None:
            runnable.append((index, params))
        else:
            trials[index] = Trial(params, SKIPPED, reason=reason)
    counter(len(drawn) - len(runnable))
    for (index, _), trial in zip(runnable, backend.evaluate(runnable, counter, window), strict=True):
        trials[index] = trial
    return [t for t in trials if t is not None]


def _optuna(settings: SearchSettings, backend: Backend, counter: _Counter, window: Window | None) -> list[Trial]:
    try:
        import optuna
    except ImportError:
        raise InputError("opt_needs_optuna") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = settings.space
    study = optuna.create_study(direction="maximize" if settings.maximize else "minimize",
                                sampler=optuna.samplers.TPESampler(seed=settings.seed))
    distributions = {name: optuna.distributions.IntDistribution(0, len(values) - 1)
                     for name, values in zip(space.names, space.values, strict=True)}
    seen: dict[tuple, Trial] = {}
    trials: list[Trial] = []
    budget = settings.budget
    attempts, max_attempts = 0, budget * 20 + 100
    while len(trials) < budget and attempts < max_attempts and len(seen) < space.size:
        batch: list[tuple[Any, dict[str, Any], tuple]] = []
        fresh: dict[tuple, dict[str, Any]] = {}
        while len(batch) < min(OPTUNA_BATCH, budget - len(trials)) and attempts < max_attempts:
            attempts += 1
            ask = study.ask(distributions)
            params = {name: values[ask.params[name]] for name, values in zip(space.names, space.values, strict=True)}
            key = tuple(ask.params[name] for name in space.names)
            if violated_constraint(settings.constraints, params) is not None:
                study.tell(ask, state=optuna.trial.TrialState.FAIL)
                continue
            if key not in seen and key not in fresh:
                fresh[key] = params
            batch.append((ask, params, key))
        items = list(enumerate(fresh.values()))
        for key, trial in zip(fresh, backend.evaluate(items, counter, window), strict=True):
            seen[key] = trial
            trials.append(trial)
        for ask, _, key in batch:
            value = objective_value(seen[key], settings.metric)
            if value is None:
                study.tell(ask, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(ask, value)
    counter.total = len(trials)
    return trials
