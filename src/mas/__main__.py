"""``python -m mas``: the ``mas`` command."""

from mas.cli import main

main()
