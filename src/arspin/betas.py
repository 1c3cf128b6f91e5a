"""Inverse-temperature grids from the command line or a config file.

Shared by `arspin exact` and `arspin train` (and so by the workflow's jobs). Deliberately
light: numpy only, no JAX, so that importing it costs nothing and a training job does not
depend on the exact solvers' command module.
"""

from __future__ import annotations

import numpy as np

from arspin.errors import ArspinError

__all__ = ["parse_betas"]


def parse_betas(text: str) -> np.ndarray:
    """'0.5,1,2' (a list) or 'START:STOP:COUNT' (numpy linspace, both ends included).

    Betas are inverse temperatures 1/T in units of 1/J (dimensionless, as H).

    Returns:
        float64 (n_beta,), in the order given (not sorted).
    Raises:
        ArspinError: malformed text, or no beta, or a beta that is not finite and > 0; the
            message quotes ``--betas`` and the text.
    """
    try:
        if ":" in text:
            start, stop, count = text.split(":")
            betas = np.linspace(float(start), float(stop), int(count))
        else:
            betas = np.array([float(b) for b in text.split(",") if b.strip()])
    except ValueError:
        raise ArspinError(f"--betas '{text}': expected '0.5,1,2' or 'START:STOP:COUNT'") from None
    if betas.size == 0 or not np.all(np.isfinite(betas)) or np.any(betas <= 0):
        raise ArspinError(f"--betas '{text}': need at least one finite beta > 0")
    return betas
