"""Broker profiles: ``$MAS_HOME/brokers.toml``, one table per profile name.

```toml
[demo]
terminal = "sim"          # "mt5" (MetaTrader5 module), "mt5linux" or "sim"
host = "127.0.0.1"        # mt5linux / sim
port = 18812
server = "MAS-Sim"
login = 1001
# path = "C:/Program Files/MetaTrader 5/terminal64.exe"   # mt5
# optional risk guards (see mas.live.guards): refuse opening orders, never closing ones
max_lots = 1.0                        # per order
max_positions = 3                     # open positions + pending orders
daily_loss_limit = 500.0              # account currency, from the UTC day's starting equity
trading_hours = "Mon-Fri 07:00-20:00" # UTC
```

A profile never holds a password. Passwords come from the call, the environment variable
``MAS_PASSWORD_<PROFILE>`` (upper case, other characters as ``_``) or the OS keyring (the
optional ``keyring`` package, service ``mas-sdk``), in that order, and are never written to
a file, a log or an error message.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mas.data.store import mas_home
from mas.data.toml_text import toml_key, toml_value
from mas.i18n.errors import InputError, Text, text_of
from mas.live.guards import GuardSpecError, RiskGuards, TradingHours

KEYRING_SERVICE = "mas-sdk"
TERMINAL_KINDS = ("mt5", "mt5linux", "sim")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_PROFILE_KEYS = frozenset({"terminal", "server", "login", "path", "host", "port", "max_lots", "max_positions",
                           "daily_loss_limit", "trading_hours"})


class ProfileError(ValueError):
    """A missing, malformed or unusable broker profile."""


@dataclass(frozen=True)
class BrokerProfile:
    """One broker login by name (in ``$MAS_HOME/brokers.toml``): where the terminal is, the account and its risk
    guards; never its password."""
    name: str
    terminal: str = "mt5"
    server: str = ""
    login: int = 0
    path: str = ""
    host: str = ""
    port: int = 0
    max_lots: float = 0.0
    max_positions: int = 0
    daily_loss_limit: float = 0.0
    trading_hours: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ProfileError(Text("prof_name_invalid", name=self.name))
        if self.terminal not in TERMINAL_KINDS:
            raise ProfileError(Text("prof_terminal_invalid", name=self.name, valid=", ".join(TERMINAL_KINDS),
                                    value=self.terminal))
        self.guards()  # validates the limits

    def guards(self) -> RiskGuards | None:
        """The profile's risk guards, or None when it sets none."""
        try:
            guards = RiskGuards(max_lots=self.max_lots, max_positions=self.max_positions,
                                daily_loss_limit=self.daily_loss_limit,
                                trading_hours=TradingHours.parse(self.trading_hours) if self.trading_hours else None,
                                profile=self.name)
        except GuardSpecError as exc:
            raise ProfileError(Text("prof_error", name=self.name, error=text_of(exc))) from None
        return guards if guards.active else None

    def login_params(self) -> dict[str, Any]:
        """The ``login`` parameters this profile stands for (without a password)."""
        out: dict[str, Any] = {"terminal": self.terminal, "server": self.server}
        if self.login:
            out["account"] = self.login
        if self.path:
            out["path"] = self.path
        if self.host:
            out["host"] = self.host
        if self.port:
            out["port"] = self.port
        return out


def profiles_path() -> Path:
    """Where the broker profiles are kept: ``$MAS_HOME/brokers.toml``."""
    return mas_home() / "brokers.toml"


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the tomli backport (a dependency on 3.10 only)
        import tomli as tomllib
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load_profiles(path: Path | None = None) -> dict[str, BrokerProfile]:
    """Every profile of the file by name (empty when there is no file); ProfileError naming a bad entry."""
    path = path or profiles_path()
    if not path.exists():
        return {}
    try:
        document = _load_toml(path)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ProfileError(Text("prof_file_not_toml", path=path, error=str(exc))) from None
    profiles = {}
    for name, table in document.items():
        if not isinstance(table, dict):
            raise ProfileError(Text("grp_file_not_table", path=path, name=name))
        unknown = set(table) - _PROFILE_KEYS - {"password"}
        if unknown:
            raise ProfileError(Text("prof_file_unknown_keys", path=path, name=name, keys=", ".join(sorted(unknown))))
        if "password" in table:
            raise ProfileError(Text("prof_file_password", path=path, name=name,
                                    env=f"MAS_PASSWORD_{env_suffix(name)}"))
        try:
            profiles[name] = BrokerProfile(
                name=name, terminal=str(table.get("terminal", "mt5")), server=str(table.get("server", "")),
                login=int(table.get("login", 0)), path=str(table.get("path", "")), host=str(table.get("host", "")),
                port=int(table.get("port", 0)), max_lots=float(table.get("max_lots", 0.0)),
                max_positions=_whole(table.get("max_positions", 0)),
                daily_loss_limit=float(table.get("daily_loss_limit", 0.0)),
                trading_hours=str(table.get("trading_hours", "")))
        except ProfileError as exc:
            raise ProfileError(Text("grp_file_error", path=path, error=text_of(exc))) from None
        except (TypeError, ValueError) as exc:
            raise ProfileError(Text("prof_file_profile_error", path=path, name=name, error=text_of(exc))) from None
    return profiles


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError("prof_max_positions_whole", value=value)
    return value


def get_profile(name: str, path: Path | None = None) -> BrokerProfile:
    """The profile ``name``; ProfileError listing the known ones when there is none."""
    profiles = load_profiles(path)
    if name not in profiles:
        known = ", ".join(sorted(profiles)) or Text("prof_none_yet")
        raise ProfileError(Text("prof_unknown", name=name, path=path or profiles_path(), known=known))
    return profiles[name]


def save_profile(profile: BrokerProfile, path: Path | None = None) -> Path:
    """Add or replace ``profile`` in the file, atomically."""
    path = path or profiles_path()
    profiles = load_profiles(path)
    profiles[profile.name] = profile
    write_profiles(profiles, path)
    return path


def remove_profile(name: str, path: Path | None = None) -> bool:
    """Remove profile ``name`` from the file, atomically; False when there was none."""
    path = path or profiles_path()
    profiles = load_profiles(path)
    if profiles.pop(name, None) is None:
        return False
    write_profiles(profiles, path)
    return True


def write_profiles(profiles: dict[str, BrokerProfile], path: Path) -> None:
    """Write the TOML file atomically: a temp file in the same folder, fsync, rename."""
    lines = ["# MAS broker profiles: no passwords here (MAS_PASSWORD_<PROFILE> or the OS keyring).", ""]
    for name in sorted(profiles):
        lines.append(f"[{toml_key(name)}]")
        for key, value in asdict(profiles[name]).items():
            if key == "name" or value in ("", 0):
                continue
            lines.append(f"{key} = {toml_value(value)}")
        lines.append("")
    content = "\n".join(lines).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise




# ---------------------------------------------------------------------- passwords
def env_suffix(profile: str) -> str:
    """``profile`` as an environment variable's suffix (upper case, other characters as ``_``)."""
    return re.sub(r"[^A-Z0-9]", "_", profile.upper())


def password_env_var(profile: str) -> str:
    """The environment variable that may hold ``profile``'s password: ``MAS_PASSWORD_<PROFILE>``."""
    return f"MAS_PASSWORD_{env_suffix(profile)}"


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        return None
    return keyring


def keyring_password(profile: str) -> str | None:
    """The profile's password from the OS keyring; None without keyring or without an entry."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, profile)
    except Exception:  # no usable keyring backend on this machine
        return None


def store_keyring_password(profile: str, password: str) -> None:
    """Keep ``profile``'s password in the OS keyring (ProfileError without the keyring package)."""
    keyring = _keyring()
    if keyring is None:
        raise ProfileError(Text("prof_no_keyring", env=password_env_var(profile)))
    keyring.set_password(KEYRING_SERVICE, profile, password)


def resolve_password(profile: str, given: str | None = None) -> tuple[str | None, str]:
    """(password, where it came from): the call, the environment, the keyring, or (None, 'none')."""
    if given not in (None, ""):
        return str(given), "call"
    from_env = os.environ.get(password_env_var(profile))
    if from_env:
        return from_env, "environment"
    from_keyring = keyring_password(profile)
    if from_keyring:
        return from_keyring, "keyring"
    return None, "none"


def apply_profile(params: dict) -> dict:
    """``login`` parameters with the profile's fields filled in (the call's own fields win) and the
    password resolved. Raises :class:`ProfileError` (never naming the password)."""
    name = str(params["profile"])
    profile = get_profile(name)
    merged = {**profile.login_params(), **{k: v for k, v in params.items() if v not in (None, "")}}
    password, _source = resolve_password(name, params.get("password"))
    if password is None:
        raise ProfileError(Text("prof_no_password", name=name, env=password_env_var(name)))
    merged["password"] = password
    merged["risk_guards"] = profile.guards()
    return merged
