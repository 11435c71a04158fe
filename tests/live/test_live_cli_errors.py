"""``mas live FILE``: an error in the strategy's callbacks is logged with the user's file and line only
(``--traceback`` for every frame), while the run goes on."""

from __future__ import annotations

import sys

import pytest

from mas.live.profiles import BrokerProfile, save_profile

from .conftest import run_until_stopped, wait_until

LOGIN = 7102
PASSWORD = "Live-Cli-Errors-Pa55"
BROKEN = """\
from mas import MAS


class MAS_Client(MAS):
    def receive_bars(self, symbol, data, is_end):
        price = data["closee"]
        return price
"""


@pytest.mark.parametrize("full", [False, True])
def test_callback_error_shows_the_users_line(start_server, tmp_path, full):
    server = start_server()
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=server.port))
    path = tmp_path / "my_live.py"
    path.write_text(BROKEN)
    command = [sys.executable, "-m", "mas", "live", str(path), "--profile", "paper", "--interval-ms", "20",
               "--status-every", "0.2", "--warmup-bars", "0", *(["--traceback"] if full else [])]

    def ready(lines: list[str]) -> None:
        assert wait_until(lambda: any("KeyError: 'closee'" in line for line in list(lines)), timeout=30), \
            "".join(lines)

    out = run_until_stopped(command, ready, PASSWORD)
    assert f'File "{path}", line 6, in receive_bars' in out and 'price = data["closee"]' in out
    if full:
        assert "Traceback (most recent call last)" in out and "dispatch.py" in out
    else:
        assert "Traceback" not in out and "dispatch.py" not in out
        assert "did you mean 'close'?" in out
    assert PASSWORD not in out
