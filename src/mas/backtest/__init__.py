"""Backtest sessions: settings from the MAS parameter dict, the replay, the result."""
