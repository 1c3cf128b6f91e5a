"""What Tables 1 and 2 share: the methods in the paper's column order, with the paper's
values (figures.md, MPVAN Tables 1 and 2), and the rows of one instance set at one N."""

from __future__ import annotations

from arspin.aggregate.table import Table
from arspin.papers.mpvan.figures.fig3 import pick_n

#: the paper's methods in its column order, as config net labels
METHODS = ("van", "vca", "gcon-van", "mpvan", "mp-graph", "mp-weighted", "mp-spin-gcn",
           "mp-graph-spin")
#: Table 1 (mean, std of the sampled residual energies, total, N and alpha [lost])
PAPER_TABLE1 = {
    "van": (0.64064516, 0.28714161), "vca": (0.59639586, 0.24911534),
    "gcon-van": (1.23419866, 0.63625889), "mpvan": (0.43949546, 0.17004693),
    "mp-graph": (0.53990054, 0.23393397), "mp-weighted": (0.63682414, 0.27861996),
    "mp-spin-gcn": (5.95293475, 2.44381817), "mp-graph-spin": (0.51100764, 0.20037946),
}
#: Table 2 (mean residual energy per site, std over instances)
PAPER_TABLE2 = {
    "van": (0.03163008, 0.00245206), "vca": (0.02993632, 0.00322317),
    "gcon-van": (0.06354465, 0.00547017), "mpvan": (0.01890272, 0.00214708),
    "mp-graph": (0.02790873, 0.00227124), "mp-weighted": (0.03157805, 0.00265405),
    "mp-spin-gcn": (0.28992669, 0.02453801), "mp-graph-spin": (0.02700393, 0.00218599),
}

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N; 0 = the largest N of the set"),
}


def rows_at(res: Table, instance_set: str, n: int) -> tuple[Table, int | None]:
    """The residual rows of ``instance_set`` at N = ``n`` (0: its largest N), and that N."""
    rows = res.where(set=instance_set) if len(res) else res
    size = pick_n(rows, n)
    return (rows.where(n=size) if size else rows), size
