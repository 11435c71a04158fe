"""The simulated MT5 terminal: margin account, order matching and the bar clock."""
