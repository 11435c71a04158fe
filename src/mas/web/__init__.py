"""The web app (``mas ui``): describe a strategy, backtest it in the background, read and compare the results,
optimize it, and trade it on a broker profile (paper trading against ``mas sim serve`` included).

A FastAPI app on uvicorn, bound to 127.0.0.1 by default, entered with the access token printed at start
(a password as well for any other bind address). Rooms: :mod:`mas.web.cli` (the command),
:mod:`mas.web.server` (socket + uvicorn), :mod:`mas.web.app` (the ASGI app and its pages),
:mod:`mas.web.security` (token, password, sessions, CSRF, headers), :mod:`mas.web.routes` (the JSON API),
:mod:`mas.web.services` (requests -> the application services of :mod:`mas.app`), :mod:`mas.web.jobs`
(background runs), :mod:`mas.web.store` (SQLite under ``$MAS_HOME``), :mod:`mas.web.charts` (the trade chart's
level of detail and the deals), :mod:`mas.web.optimizing` with :mod:`mas.web.routes_optimize` (sweeps with
progress), :mod:`mas.web.live` with :mod:`mas.web.routes_live` (broker profiles, live runs, their accounts).
The front end is plain HTML/CSS/JS under ``static/`` with plotly.js served from the installed ``plotly``
package: it works offline.
"""
