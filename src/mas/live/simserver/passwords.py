"""Account passwords on the sim server: only a salted scrypt digest is ever kept.

``python -m mas.live.simserver.passwords`` asks for a password (twice, not echoed) and prints the
``password_hash`` line for an accounts file (``mas sim serve --accounts FILE``).
"""

from __future__ import annotations

import hashlib
import hmac
import os

from mas.i18n.errors import InputError

_N, _R, _P = 2**14, 8, 1
MAX_PASSWORD_CHARS = 128
"""Longest password accepted (MT5 itself allows far fewer); longer ones are refused before hashing."""
HASH_PREFIX = "scrypt"


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """(salt, digest) of ``password``; a fresh random salt unless one is given."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return salt, digest


def password_matches(password: str, salt: bytes, digest: bytes) -> bool:
    """Whether ``password`` hashes to ``digest`` with ``salt`` (compared in constant time)."""
    return hmac.compare_digest(hash_password(password, salt)[1], digest)


def format_hash(salt: bytes, digest: bytes) -> str:
    """``scrypt$<salt hex>$<digest hex>``: the text form kept in accounts files."""
    return f"{HASH_PREFIX}${salt.hex()}${digest.hex()}"


def parse_hash(text: str) -> tuple[bytes, bytes]:
    """(salt, digest) of a :func:`format_hash` string; ValueError naming what is wrong."""
    parts = text.split("$") if isinstance(text, str) else []
    if len(parts) != 3 or parts[0] != HASH_PREFIX:
        raise InputError("simsrv_hash_format")
    try:
        salt, digest = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        raise InputError("simsrv_hash_hex") from None
    if len(salt) < 8 or len(digest) != 32:
        raise InputError("simsrv_hash_length")
    return salt, digest


def _main() -> int:
    import getpass
    import sys

    password = getpass.getpass("Password: ")
    if not password or len(password) > MAX_PASSWORD_CHARS:
        print(f"the password must be 1 to {MAX_PASSWORD_CHARS} characters", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != password:
        print("the passwords differ", file=sys.stderr)
        return 2
    print(f'password_hash = "{format_hash(*hash_password(password))}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
