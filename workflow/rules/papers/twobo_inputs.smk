# The TwoBo paper's input functions (papers/twobo.smk holds its rule).

TWOBO = PAPERS["twobo"]


def twobo_groups(scale, group):
    """Run groups feeding a tables folder: fig3 draws on fig2's runs, `all` on every group."""
    runs = paper_scale("twobo", scale)["runs"]
    if group == "all":
        return list(runs.values())
    return [runs[{"fig3": "fig2"}.get(group, group)]] if group != "figS1" else []


def twobo_instances(scale, group):
    """(set, size, index, group) of the instances a tables folder covers, per run group."""
    fig3 = paper_scale("twobo", scale)["fig3"]
    out = []
    for g in twobo_groups(scale, group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                if group == "fig3" and (name, size) != (fig3["instance_set"], fig3["size"]):
                    continue
                out += [
                    (name, size, i, g)
                    for i in instance_indices("twobo", scale, name, size, g.get("count"))
                ]
    return out


def twobo_table_inputs(w):
    runs = [
        run_path("twobo", w.scale, name, size, i, net, p)
        for name, size, i, g in twobo_instances(w.scale, w.group)
        for net in g["nets"]
        for p in g["protocols"]
    ]
    instances = sorted({(name, size, i) for name, size, i, _ in twobo_instances(w.scale, w.group)})
    exact = [f"results/exact/{s}/{n}/{i}.h5" for s, n, i in instances if exact_method(s, n)]
    best = [
        f"results/twobo/{w.scale}/groundstates/{s}/{n}/{i}.h5"
        for s, n, i in instances
        if "energy_min" in TWOBO.tables_of(w.group)
    ]
    return {
        "runs": sorted(set(runs)),
        "exact": exact,
        "groundstates": best,
        "instances": [f"results/instances/{s}/{n}/{i}.h5" for s, n, i in instances],
    }


def twobo_options(w):
    """The aggregation options (arspin.papers.twobo.aggregate.OPTIONS) from the scale's block."""
    block = paper_scale("twobo", w.scale)
    fig3 = block["fig3"]
    return json_arg(
        {
            "curve_betas": fig3["betas"],
            "param_sizes": block["figS1"],
            "curve_instances": {fig3["instance_set"]: [fig3["size"]]},
        }
    )


def twobo_aggregate_code(w):
    """The aggregation's sources; the parameters table also runs TwoBo's and MADE's counts."""
    from arspin.nets.registry import net_module

    counted = [net_module("twobo"), net_module("made")]
    return code(
        "arspin.commands.aggregate",
        TWOBO.module("aggregate"),
        *(counted if "parameters" in TWOBO.tables_of(w.group) else []),
    )
