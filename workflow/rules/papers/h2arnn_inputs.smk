# The H2ARNN paper's input functions (papers/h2arnn.smk holds its rules).

H2ARNN = PAPERS["h2arnn"]


def h2arnn_groups(scale, group):
    """Run groups feeding a tables folder: every group of the scale (all Curie-Weiss so far)."""
    return list(paper_scale("h2arnn", scale).get("runs", {}).values())


def h2arnn_table_inputs(w):
    """Runs of the folder's groups and their instance files (f_N is computed from them)."""
    runs, instances = set(), set()
    for g in h2arnn_groups(w.scale, w.group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                for i in instance_indices("h2arnn", w.scale, name, size, g.get("count")):
                    instances.add(f"results/instances/{name}/{size}/{i}.h5")
                    runs.update(
                        run_path("h2arnn", w.scale, name, size, i, net, p)
                        for net in g["nets"]
                        for p in g["protocols"]
                    )
    return {"runs": sorted(runs), "instances": sorted(instances)}


def h2arnn_options(w):
    """The aggregation options (arspin.papers.h2arnn.aggregate.OPTIONS) from the scale's block."""
    return json_arg(paper_scale("h2arnn", w.scale).get("fig4", {}))


def h2arnn_aggregate_code(w):
    """The aggregation's sources; the P(q) table rebuilds and samples every net it reads."""
    from arspin.nets.registry import net_module

    families = sorted({e["net"] for e in paper_block("h2arnn")["nets"].values()})
    return code(
        "arspin.commands.aggregate",
        H2ARNN.module("aggregate"),
        *[net_module(f) for f in families],
    )
