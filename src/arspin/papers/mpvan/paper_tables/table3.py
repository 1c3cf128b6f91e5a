"""MPVAN Table 3 (printed "Tab. 2" in Sec. S-V): time per training step of MPVAN, VAN and VCA
at several N, measured now on the local device (arspin.papers.mpvan.timing), beside the
paper's RTX 3090 seconds, with the ratios to MPVAN of both."""

from __future__ import annotations

from arspin.aggregate.table import Table
from arspin.paper_tables import PaperTable
from arspin.papers.mpvan.timing import METHODS, PAPER_S, device_name, time_step

OPTIONS = {
    "sizes": (str, "30,60,90", "N values (comma list)"),
    "batch": (int, 128, "samples per step (the paper's batch is [lost])"),
    "reps": (int, 20, "timed steps per point (median), after one untimed step"),
}


def build(tables: dict[str, Table], *, sizes: str, batch: int, reps: int) -> PaperTable:
    del tables  # measured, not aggregated
    from arspin.errors import ArspinError

    try:
        ns = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise ArspinError(f"table 'mpvan table3': option 'sizes': a comma list of N, got "
                          f"{sizes!r}") from None
    timed = {(m, n): time_step(m, n, batch, reps) for m in METHODS for n in ns}
    rows = []
    for m in METHODS:
        for n in ns:
            ms = timed[m, n]["ms_per_step"]
            paper = PAPER_S[m].get(n)
            paper_ratio = paper / PAPER_S["MPVAN"][n] if paper is not None else None
            rows.append((m, n, timed[m, n]["n_params"], ms, ms / timed["MPVAN", n]["ms_per_step"],
                         paper * 1e3 if paper is not None else None, paper_ratio))
    return PaperTable(
        header=("method", "N", "parameters", "ms per step", "ratio to MPVAN",
                "paper ms (RTX 3090)", "paper ratio"),
        rows=tuple(rows),
        caption=(f"MPVAN Table 3: time per training step (sampling, energies, gradient, one "
                 f"Adam update; median of {reps}) at batch {batch} on SK, measured on "
                 f"{device_name()}; the paper's RTX 3090 times beside (its batch is lost)."),
        float_format="{:.3g}")
