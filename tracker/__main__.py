"""`python -m tracker` runs the same command line as `tracker`."""

from tracker.cli import entry

entry()
