# The H2ARNN paper's input functions (papers/h2arnn.smk holds its rules).

H2ARNN = PAPERS["h2arnn"]


def h2arnn_groups(scale, folder):
    """Run groups feeding a tables folder: a figure's own groups (fig5 reads fig5 and fig5e),
    every group for the claims (`all`)."""
    runs = paper_scale("h2arnn", scale).get("runs", {})
    return [g for name, g in runs.items() if folder == "all" or name.startswith(folder)]


def h2arnn_reference(scale):
    """The PT reference settings of a scale (papers.h2arnn.scales.<scale>.reference)."""
    return paper_scale("h2arnn", scale).get("reference", {"sizes": []})


def h2arnn_table_inputs(w):
    """Runs of the folder's groups, their instance files (f_N of Curie-Weiss instances is
    computed from them), and the exact and PT references of their SK instances."""
    runs, instances, exact, references = set(), set(), set(), set()
    pt_sizes = h2arnn_reference(w.scale)["sizes"]
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
                    if instance_spec(name)["family"] == "cw":
                        continue
                    if exact_method(name, size) == "enumeration":
                        exact.add(f"results/exact/{name}/{size}/{i}.h5")
                    if int(size) in pt_sizes:
                        references.add(f"results/h2arnn/{w.scale}/reference/{name}/{size}/{i}.h5")
    couplings = []
    fig6 = paper_scale("h2arnn", w.scale).get("fig6")
    if fig6 and w.group in ("fig6", "all"):
        where = (fig6["instance_set"], fig6["size"], fig6["index"])
        couplings.append(f"results/h2arnn/{w.scale}/couplings/{where[0]}/{where[1]}/{where[2]}.h5")
        instances.add(f"results/instances/{where[0]}/{where[1]}/{where[2]}.h5")
        if exact_method(where[0], where[1]) == "enumeration":
            exact.add(f"results/exact/{where[0]}/{where[1]}/{where[2]}.h5")
    return {
        "runs": sorted(runs),
        "instances": sorted(instances),
        "exact": sorted(exact),
        "references": sorted(references),
        "couplings": couplings,
    }


def h2arnn_fig6_flags(scale):
    """`arspin learn-couplings` flags from papers.h2arnn.scales.<scale>.fig6 (schema-checked
    numbers and a sampler name from an enum: nothing a shell could misread)."""
    fig6 = paper_scale("h2arnn", scale)["fig6"]
    flags = {k: v for k, v in fig6.items() if k not in ("instance_set", "size", "index")}
    return " ".join(f"--{k.replace('_', '-')} {v}" for k, v in sorted(flags.items()))


def h2arnn_options(w):
    """The aggregation options (arspin.papers.h2arnn.aggregate.OPTIONS) from the scale's
    fig4 and fig5 blocks; Fig. 5d's parameter counts for the fig5 nets at the paper's sizes."""
    block = paper_scale("h2arnn", w.scale)
    fig5 = block.get("fig5", {})
    options = dict(block.get("fig4", {}))
    options.update({f"sk_{k}": v for k, v in fig5.items() if k.startswith("pq_")})
    if "nis_samples" in fig5:
        options["nis_samples"] = fig5["nis_samples"]
    labels = [n for g in h2arnn_groups(w.scale, "fig5") for n in g["nets"]]
    options["param_nets"] = {
        label: {k: net_entry("h2arnn", label)[k] for k in ("net", "hparams")}
        for label in sorted(set(labels))
    }
    paper_fig5 = paper_scale("h2arnn", "paper").get("runs", {}).get("fig5", {"instances": {}})
    options["param_sizes"] = sorted(
        {s for sizes in paper_fig5["instances"].values() for s in sizes}
    )
    return json_arg(options)


def h2arnn_aggregate_code(w):
    """The aggregation's sources; the P(q) and bracket tables rebuild and sample every net
    they read."""
    from arspin.nets.registry import net_module

    families = sorted({e["net"] for e in paper_block("h2arnn")["nets"].values()})
    return code(
        "arspin.commands.aggregate",
        H2ARNN.module("aggregate"),
        H2ARNN.module("sk_aggregate"),
        *[net_module(f) for f in families],
    )
