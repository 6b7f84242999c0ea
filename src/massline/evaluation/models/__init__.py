from .scorecard import Dimension, ScorecardFill, ScorecardRow

__all__ = ["Dimension", "ScorecardFill", "ScorecardRow"]
