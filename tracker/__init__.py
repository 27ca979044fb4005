"""tracker: follow a fast-moving field through RSS/Atom feeds, in the terminal."""

__version__ = "0.1.0"
