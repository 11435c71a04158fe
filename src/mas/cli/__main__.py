"""``python -m mas.cli``: the ``mas`` command (as ``python -m mas``)."""

from mas.cli.main import main

main()
