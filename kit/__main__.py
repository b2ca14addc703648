"""Run the command line with `python -m kit`."""

from kit.cli import main

main()
