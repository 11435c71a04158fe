"""Live trading: MetaTrader 5 terminals behind the one seam, feeds and order sending."""
