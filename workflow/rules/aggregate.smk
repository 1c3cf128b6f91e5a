# Result files -> tidy CSV tables, one folder per figure (a figure rebuilds from its own runs
# only) plus `all` (every run, for the claims). Figures read only these tables.

TWOBO_TABLES = {
    "fig2": ["free_energy", "energy_min"],
    "fig3": ["curves"],
    "fig4": ["free_energy"],
    "figS1": ["parameters"],
    "figS2": ["free_energy"],
    "figS3": ["free_energy"],
    "all": ["free_energy", "curves", "energy_min", "parameters"],
}


def twobo_groups(scale, group):
    """Run groups feeding a table folder: fig3 draws on fig2's runs, `all` on every group."""
    runs = config["scales"][scale]["twobo"]["runs"]
    if group == "all":
        return list(runs.values())
    return [runs[{"fig3": "fig2"}.get(group, group)]] if group != "figS1" else []


def twobo_instances(scale, group):
    """(set, size, index) of the instances a table folder covers."""
    fig3 = config["scales"][scale]["twobo"]["fig3"]
    out = []
    for g in twobo_groups(scale, group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                if group == "fig3" and (name, size) != (fig3["instance_set"], fig3["size"]):
                    continue
                out += [(name, size, i) for i in instance_indices("twobo", name, size, g.get("count"))]
    return sorted(set(out))


def twobo_table_inputs(w):
    runs, exact, best = [], [], []
    fig3 = config["scales"][w.scale]["twobo"]["fig3"]
    for g in twobo_groups(w.scale, w.group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                if w.group == "fig3" and (name, size) != (fig3["instance_set"], fig3["size"]):
                    continue
                for i in instance_indices("twobo", name, size, g.get("count")):
                    runs += [
                        f"results/twobo/{w.scale}/runs/{name}/{size}/{i}/{net}/{p}.h5"
                        for net in g["nets"]
                        for p in g["protocols"]
                    ]
    for name, size, i in twobo_instances(w.scale, w.group):
        if n_spins(name, size) <= config["exact"]["max_n"]:
            exact.append(f"results/exact/{name}/{size}/{i}.h5")
        if "energy_min" in TWOBO_TABLES[w.group]:
            best.append(f"results/twobo/{w.scale}/groundstates/{name}/{size}/{i}.h5")
    instances = [f"results/instances/{s}/{n}/{i}.h5" for s, n, i in twobo_instances(w.scale, w.group)]
    return {"runs": sorted(set(runs)), "exact": exact, "groundstates": best, "instances": instances}


def param_sizes(scale):
    sizes = config["scales"][scale]["twobo"]["figS1"]
    return "'" + ";".join(f"{fam}={','.join(map(str, s))}" for fam, s in sorted(sizes.items())) + "'"


rule aggregate_twobo:
    message:
        "tables of {wildcards.group} ({wildcards.scale})"
    input:
        unpack(twobo_table_inputs),
        code=code("hamiltonian.py", "instances", "aggregate", "commands/aggregate.py"),
    output:
        "results/twobo/{scale}/tables/{group}/.done",
    wildcard_constraints:
        group="fig2|fig3|fig4|figS1|figS2|figS3|all",
    params:
        tables=lambda w: ",".join(TWOBO_TABLES[w.group]),
        curve_betas=lambda w: ",".join(map(str, config["scales"][w.scale]["twobo"]["fig3"]["betas"])),
        param_sizes=lambda w: param_sizes(w.scale),
        out_dir=lambda w, output: os.path.dirname(output[0]),
    log:
        "logs/twobo/{scale}/tables/{group}.log",
    benchmark:
        "benchmarks/twobo/{scale}/tables/{group}.tsv"
    conda:
        ENV
    shell:
        "(arspin aggregate twobo --runs {input.runs} --exact {input.exact}"
        " --groundstates {input.groundstates} --instances {input.instances}"
        " --tables {params.tables} --curve-betas {params.curve_betas}"
        " --param-sizes {params.param_sizes} --out-dir {params.out_dir}"
        " && touch {output}) > {log} 2>&1"
