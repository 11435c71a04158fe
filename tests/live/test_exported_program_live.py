"""A program exported with `mas strategy export --live --profile` trades on the simulated MT5 server."""

from __future__ import annotations

import os
import subprocess
import sys

from mas.live.profiles import BrokerProfile, save_profile
from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.export import export_program

from .conftest import wait_until

LOGIN = 7001


def test_exported_live_program_logs_in_with_its_profile_and_trades(start_server, tmp_path):
    server = start_server(speed=3600 * 40)  # 40 H1 bars a second
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=LOGIN, host="127.0.0.1",
                               port=server.port))
    program = tmp_path / "live_ma.py"
    source = export_program(builtin_spec("ma", fast=2, slow=3), backtest=False, profile="paper")
    assert "s3cret" not in source and 'PROFILE = \'paper\'' in source
    program.write_text(source)
    env = dict(os.environ, MAS_PASSWORD_PAPER="s3cret")
    proc = subprocess.Popen([sys.executable, str(program)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert wait_until(lambda: LOGIN in server.exchange.accounts, timeout=20)
        account = server.exchange.accounts[LOGIN]
        assert wait_until(lambda: len(account.terminal.deals) >= 3, timeout=30)  # deposit + a buy + its close
        out, _ = proc.communicate("\n", timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "s3cret" not in out
    kinds = [(d.type, d.entry) for d in account.terminal.deals[1:3]]
    assert kinds == [(0, 0), (1, 1)]  # long only: a buy opens, a sell closes it
