# Ground-state references: one solver per instance (exact ILP where affordable, else the
# configured heuristic), then `best` over that solver and every TwoBo run on the instance.


rule groundstate_solver:
    message:
        "ground state ({wildcards.method}) {wildcards.set} size={wildcards.size} index={wildcards.index}"
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("hamiltonian.py", "baselines", "exact", "commands/groundstate.py"),
    output:
        "results/groundstates/{set}/{size}/{index}/{method}.h5",
    wildcard_constraints:
        method="exact|sa|pt",
    params:
        time_limit=config["groundstate"]["time_limit"],
        # sweeps and reads configure the heuristics only
        heuristic=lambda w: "" if w.method == "exact" else (
            f"--sweeps {config['groundstate']['sweeps']} --reads {config['groundstate']['reads']}"
        ),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=lambda w: int(config["groundstate"]["time_limit"] / 60) + 10,
    log:
        "logs/groundstates/{set}/{size}/{index}/{method}.log",
    benchmark:
        "benchmarks/groundstates/{set}/{size}/{index}/{method}.tsv"
    conda:
        ENV
    shell:
        "arspin groundstate --instance {input.instance} --method {wildcards.method}"
        " --time-limit {params.time_limit} --threads {threads} {params.heuristic}"
        " --out {output} > {log} 2>&1"


rule groundstate_best:
    message:
        "best ground state {wildcards.set} size={wildcards.size} index={wildcards.index}"
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        solvers=gs_solvers,
        runs=twobo_runs_on,
        code=code("hamiltonian.py", "baselines", "commands/groundstate.py"),
    output:
        "results/twobo/{scale}/groundstates/{set}/{size}/{index}.h5",
    log:
        "logs/twobo/{scale}/groundstates/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/twobo/{scale}/groundstates/{set}/{size}/{index}.tsv"
    conda:
        ENV
    shell:
        "arspin groundstate --instance {input.instance} --method best"
        " --sources {input.solvers} --runs {input.runs} --out {output} > {log} 2>&1"
