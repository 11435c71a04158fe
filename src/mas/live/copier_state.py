"""The trade copier's state file: ``$MAS_HOME/copier/<name>.json``, what was copied to whom.

One file per copier (its ``--name``, by default the master profile). Per follower it holds the last master
deal that follower has been brought up to (``cursor``), each mirrored master position (``mirrors``: the
follower's position tickets and volumes, the SL/TP last set) and the copy actions planned but not yet
finished (``actions``: each piece with its idempotency key, the follower order's ``client_order_id``).

A plan is written before its first order is sent, and every outcome right after it arrives; each write
replaces the whole file atomically (temp file, fsync, rename) under the file's lock. A copier killed at any
point restarts from the last write: a piece still ``planned`` is sent again under the same
``client_order_id``, which the order journal (:mod:`mas.live.journal`) answers with the order already
made, if it was. A file that cannot be read is never overwritten: :class:`CopierStateError` names it and
how to recover.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from mas.data.atomic import write_bytes_atomically
from mas.data.folders import mas_home
from mas.data.locking import locked
from mas.i18n.errors import Text

FORMAT = 1
"""The layout version of the state file."""
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class CopierStateError(ValueError):
    """A copier state file that cannot be used (the message names the file and what to do)."""


class CopierRunningError(RuntimeError):
    """Another process runs a copier of the same name."""


def copier_dir() -> Path:
    """``$MAS_HOME/copier``: one state file (and one run lock) per copier."""
    return mas_home() / "copier"


def check_name(name: str) -> str:
    """``name`` when it can name a copier (letters, digits, ``.``, ``_``, ``-``); CopierStateError otherwise."""
    if not _NAME.match(str(name)):
        raise CopierStateError(Text("copier_name_invalid", name=name))
    return str(name)


def state_path(name: str) -> Path:
    """The state file of copier ``name``."""
    return copier_dir() / f"{check_name(name)}.json"


def new_state(name: str, master: dict[str, Any]) -> dict[str, Any]:
    """An empty state for copier ``name`` of ``master`` (``profile``, ``account``, ``server``)."""
    return {"format": FORMAT, "name": name, "master": dict(master), "settings": {}, "followers": {}}


def load_state(name: str) -> dict[str, Any] | None:
    """The state of copier ``name``, or None when it has none yet. CopierStateError for a file that cannot be
    read or is not a copier state; the file is left as it is."""
    path = state_path(name)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CopierStateError(Text("copier_state_unreadable", path=path, error=exc.strerror or str(exc))) from None
    try:
        state = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CopierStateError(_damaged(path, f"it is not valid JSON ({exc})")) from None
    problem = _shape_problem(state)
    if problem is not None:
        raise CopierStateError(_damaged(path, problem))
    return state


def _damaged(path: Path, why: str) -> str:
    return (f"the copier state file {path} is damaged: {why}. Nothing was copied and the file was left as it is. "
            f"Restore it from a backup, or move it aside to start afresh: the copies made so far are then no longer "
            f"managed by the copier (each is in the order journal under a client_order_id starting with 'copy:'; "
            f"close them by hand or let the followers' stops close them)")


def _shape_problem(state: Any) -> str | None:
    if not isinstance(state, dict):
        return "it does not hold a JSON object"
    if state.get("format") != FORMAT:
        return f"its format is {state.get('format')!r}, this version reads format {FORMAT}"
    if not isinstance(state.get("master"), dict) or not isinstance(state.get("followers"), dict):
        return "the 'master' or 'followers' entry is missing"
    for name, follower in state["followers"].items():
        if not isinstance(follower, dict):
            return f"follower {name!r} is not an object"
        if not isinstance(follower.get("cursor"), int) or isinstance(follower.get("cursor"), bool):
            return f"follower {name!r}: 'cursor' is not a whole number"
        for key in ("mirrors", "actions"):
            if not isinstance(follower.get(key), dict):
                return f"follower {name!r}: {key!r} is not an object"
        for key, action in follower["actions"].items():
            if not isinstance(action, dict) or not isinstance(action.get("pieces"), list):
                return f"follower {name!r}: action {key!r} has no list of pieces"
    return None


def save_state(name: str, state: dict[str, Any]) -> None:
    """Replace the state file of copier ``name`` with ``state``, atomically, under its lock."""
    path = state_path(name)
    content = json.dumps(state, indent=1, sort_keys=True).encode("utf-8")
    with locked(path):
        write_bytes_atomically(path, content)
    try:
        os.chmod(path, 0o600)  # tickets and accounts: the owner's only
    except OSError:
        pass


def run_lock_path(name: str) -> Path:
    """The lock a running copier ``name`` holds for its whole run."""
    return copier_dir() / f".{check_name(name)}.run.lock"


@contextmanager
def run_lock(name: str) -> Iterator[None]:
    """Held while copier ``name`` runs: a second one of the same name raises CopierRunningError. The OS releases
    it when the process dies (also on kill -9)."""
    path = run_lock_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise CopierRunningError(Text("copier_running", name=name, path=path)) from None
    try:
        yield
    finally:
        lock.release()


def is_running(name: str) -> bool:
    """Whether a process holds copier ``name``'s run lock now."""
    try:
        with run_lock(name):
            return False
    except CopierRunningError:
        return True


def copier_names() -> list[str]:
    """The names of every copier with a state file."""
    folder = copier_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if _NAME.match(p.stem))
