"""Run the command line with `python -m kit` (in a fork of kit's warm process when there is one)."""

from kit.warm import main

main()
