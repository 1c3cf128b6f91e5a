"""The papers' qualitative claims, evaluated on the aggregated tables.

A claim is a function of the tables returning a :class:`Claim`: the statement, the figure it
belongs to, the measured numbers, and whether it holds (True/False), or None with a reason
when the data it needs did not run at this scale. A claim that fails is reported as failing;
its test is fixed before looking at results and never adjusted to make it pass.

    arspin.papers.<paper>.claims.evaluate(tables) -> list of Claim (each paper's wing)
    report(claims, paper, tables)  -> JSON-able dict written to results/claims/<paper>.json
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class NotEvaluated(Exception):
    """Raised inside a claim when its data is missing; the message is the reason."""


@dataclass
class Claim:
    """One evaluated claim.

    Attributes:
        id: stable identifier, e.g. "fig2-lowest-free-energy-ea2d".
        claim: the statement as the paper makes it (paraphrased), plus how it is tested.
        figure: the figure it belongs to, e.g. "Fig. 2".
        numbers: measured values behind the verdict (JSON-able).
        holds: True, False, or None when not evaluated.
        reason: why it was not evaluated (None otherwise).
    """

    id: str
    claim: str
    figure: str
    numbers: dict[str, Any] = field(default_factory=dict)
    holds: bool | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        status = ("not evaluated" if self.holds is None else
                  "holds" if self.holds else "does not hold")
        return {"id": self.id, "claim": self.claim, "figure": self.figure,
                "numbers": plain(self.numbers), "holds": self.holds, "status": status,
                "reason": self.reason}


def plain(value: Any) -> Any:
    """JSON-able copy: numpy scalars/arrays to Python, non-finite floats to None, floats to
    10 significant digits (the claims file is for reading; the tables hold full precision)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if not math.isfinite(value) else float(f"{value:.10g}")
    return value


def report(claims: list[Claim], paper: str, tables: str) -> dict[str, Any]:
    """The claims file content: paper, source tables, counts by status, every claim."""
    items = [c.as_dict() for c in claims]
    counts = {s: sum(1 for c in items if c["status"] == s)
              for s in ("holds", "does not hold", "not evaluated")}
    return {"paper": paper, "tables": tables, "summary": counts, "claims": items}


__all__ = ["Claim", "NotEvaluated", "plain", "report"]
