"""Account groups in the web app: the groups of ``groups.toml`` and each one's consolidated status now (every
member logged in to, read and logged out: :func:`mas.app.live.group_status`; nothing is sent). Passwords come
from the keyring or the environment on the server and never reach the page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi import Path as PathParam

from mas.app.live import account_groups, group_status
from mas.web.language import unprocessable

router = APIRouter(prefix="/api")

_GROUP_NAME = r"^[A-Za-z0-9_.-]{1,64}$"  # as groups.toml allows (mas.groups.store)



@router.get("/groups")
def groups() -> Any:
    """The account groups: name, members and allocation method."""
    try:
        return account_groups()
    except ValueError as exc:  # a groups file that cannot be read: its message names it
        return unprocessable(exc)


@router.get("/groups/{name}/status")
def status(name: str = PathParam(..., pattern=_GROUP_NAME)) -> Any:
    """Group ``name``'s accounts now and their sums: balance, equity, margin, free margin, floating and today's
    realised P&L, positions, pending orders and the exposure per symbol (one login per member, nothing sent)."""
    try:
        return group_status(name).as_dict()
    except (ValueError, LookupError, OSError) as exc:  # unknown group, a member that cannot log in: named
        return unprocessable(exc)
