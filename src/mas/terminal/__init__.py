"""The terminal seam: the MetaTrader5 function set, constants and return types."""
