"""The figures of a scorecard, from its counts (RULES.md "Three rates"; Beijing regulation Art. 32).

- response rate = contacted / valid follow-ups
- resolution rate = solved / valid follow-ups
- satisfaction rate = (satisfied + w × basically satisfied) / valid follow-ups, w = 0.9 by default
- composite score = weights · (response, resolution, satisfaction), 0.1 / 0.5 / 0.4 by default
- on-time rate = replied on time / replied; objection rate = returns / dispatches;
  average handling time = total handling seconds / replied

A rate whose denominator is zero is ``None`` ("no data"), never 0: a unit without rated appeals is not last."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Weights:
    response: float
    resolution: float
    satisfaction: float
    basically_satisfied: float

    @classmethod
    def from_policy(cls, policy: Any) -> Weights:
        weights = policy.rule("score_weights")
        return cls(
            response=float(weights["response"]),
            resolution=float(weights["resolution"]),
            satisfaction=float(weights["satisfaction"]),
            basically_satisfied=float(policy.rule("basically_satisfied_weight")),
        )

    def as_dict(self) -> dict[str, float]:
        return {
            "response": self.response,
            "resolution": self.resolution,
            "satisfaction": self.satisfaction,
            "basically_satisfied": self.basically_satisfied,
        }


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def rates(counts: dict[str, int], weights: Weights) -> dict[str, float | None]:
    """The rates of one scorecard row, from its counts."""
    rated = counts["rated"]
    response = _ratio(counts["contacted"], rated)
    resolution = _ratio(counts["solved"], rated)
    satisfaction = _ratio(counts["satisfied"] + weights.basically_satisfied * counts["basically_satisfied"], rated)
    composite = None
    if response is not None and resolution is not None and satisfaction is not None:
        composite = weights.response * response + weights.resolution * resolution + weights.satisfaction * satisfaction
    return {
        "response_rate": response,
        "resolution_rate": resolution,
        "satisfaction_rate": satisfaction,
        "composite_score": composite,
        "on_time_rate": _ratio(counts["replied_on_time"], counts["replied"]),
        "objection_rate": _ratio(counts["objections"], counts["dispatched"]),
        "average_handling_seconds": _ratio(counts["handling_seconds"], counts["replied"]),
    }
