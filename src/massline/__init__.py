"""massline: hear, concentrate, act, be judged."""

__version__ = "0.1.0"
