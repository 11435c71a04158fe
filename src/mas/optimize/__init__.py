"""Strategy optimization: parameter sweeps (grid, random, Optuna), walk-forward analysis, reports."""
