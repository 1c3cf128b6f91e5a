# The MPVAN paper's input functions (papers/mpvan.smk holds its rules).

MPVAN = PAPERS["mpvan"]

# which run groups (config papers.mpvan.scales.<scale>.runs) feed a figure's (or a paper
# table's) tables folder; one not listed reads the groups whose name starts with its own
# (fig4: fig4a, fig4b); the claims (`all`) read the main experiments, not the SI's
MPVAN_RUN_GROUPS = {
    "all": ("fig4", "fig5", "mech"),
    "table1": ("fig4a", "mech"),
    "table2": ("fig4a", "mech"),
    "fig1": ("fig4a",),
    "fig3": ("fig4a",),
    "fig6": ("fig4a",),
    "figS1": ("fig4a", "mech"),
    "figS2": ("fig4a", "mech"),
    "figS3": ("fig4a",),
    "figS4": ("fig4a", "figS4"),
    "figS5": ("fig4a", "figS5"),
    "figS7": ("fig4",),
}


def mpvan_feeds(table_group, run_group):
    """Does run group ``run_group`` feed the tables folder ``table_group``?"""
    prefixes = MPVAN_RUN_GROUPS.get(table_group, (table_group,))
    return any(run_group.startswith(p) for p in prefixes)


def mpvan_table_inputs(w):
    """Runs of the folder's groups (fig4 reads fig4a and fig4b; `all` every group), their
    instances, and the exact files (E_g) of the instances without a planted state."""
    runs, instances, exact, budget = set(), set(), set(), set()
    block = paper_scale("mpvan", w.scale)
    groups = block.get("runs", {})
    baselines = block.get("baselines", {})
    for name, g in groups.items():
        if not mpvan_feeds(w.group, name):
            continue
        for set_name, sizes in g["instances"].items():
            for size in sizes:
                for i in instance_indices("mpvan", w.scale, set_name, size, g.get("count")):
                    instances.add(f"results/instances/{set_name}/{size}/{i}.h5")
                    runs.update(
                        run_path("mpvan", w.scale, set_name, size, i, net, p)
                        for net in g["nets"]
                        for p in g["protocols"]
                    )
                    if name in baselines.get("groups", []):
                        budget.update(
                            budget_path(w.scale, set_name, size, i, method, p)
                            for method in ("sa", "pt")
                            if method in baselines
                            for p in g["protocols"]
                        )
                    if instance_spec(set_name)["family"] != "wpe":
                        if exact_method(set_name, size) != "enumeration":
                            raise ValueError(
                                f"config.yaml: papers.mpvan {set_name} size {size} needs E_g, "
                                f"and only enumeration (N <= exact.max_n) gives it today"
                            )
                        exact.add(f"results/exact/{set_name}/{size}/{i}.h5")
    return {
        "runs": sorted(runs),
        "instances": sorted(instances),
        "exact": sorted(exact),
        "groundstates": sorted(budget),
    }


def budget_path(scale, set_name, size, index, method, protocol_name):
    return f"results/mpvan/{scale}/budget/{set_name}/{size}/{index}/{method}/{protocol_name}.h5"


def mpvan_budget_args(w):
    """`arspin groundstate` flags of one budgeted SA/PT run: the net run's budget
    (arspin.papers.mpvan.budget), the method's schedule from the config, labels and seed."""
    from arspin.papers.mpvan import budget as mb

    block = paper_scale("mpvan", w.scale)
    proto = block["protocols"][w.protocol]
    final = block.get("final", {}).get("final_samples", 1024)
    total = mb.net_samples(proto, final)
    n = n_spins(w.set, w.size)
    s = block["baselines"][w.method]
    if w.method == "sa":
        plan = mb.sa_settings(total, n, s["n_annealing"], s["sweeps_per_beta"])
        extra = f"--schedule linear --sweeps-per-beta {plan['sweeps_per_beta']}"
    else:
        plan = mb.pt_settings(total, n, s["replicas"], s["sweeps"])
        extra = f"--replicas {plan['replicas']}"
    labels = {
        "paper": "mpvan",
        "scale": w.scale,
        "set": w.set,
        "family": instance_spec(w.set)["family"],
        "size": int(w.size),
        "n": n,
        "index": int(w.index),
        "net": w.method,
        "protocol": w.protocol,
        "seed": proto["seed"],
        "budget": total,
    }
    beta_min, beta_max = mb.beta_range(proto, s)
    return (
        f"--sweeps {plan['sweeps']} --reads {plan['reads']} {extra}"
        f" --beta-min {beta_min} --beta-max {beta_max} --seed {proto['seed']}"
        f" --time-limit 1e6 --labels {json_arg(labels)}"
    )


def mpvan_options(w):
    """The aggregation options (arspin.papers.mpvan.aggregate.OPTIONS) from the scale's block."""
    return json_arg(paper_scale("mpvan", w.scale).get("final", {}))


def mpvan_aggregate_code(w):
    """The aggregation's sources; it rebuilds and samples every net it reads."""
    from arspin.nets.registry import net_module

    families = sorted({e["net"] for e in paper_block("mpvan")["nets"].values()})
    return code(
        "arspin.commands.aggregate", MPVAN.module("aggregate"), *[net_module(f) for f in families]
    )
