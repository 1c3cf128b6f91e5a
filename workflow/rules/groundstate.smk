# Ground-state references. The exact max-cut ILP is shared by every paper (kept per instance:
# it does not depend on a paper's settings); each paper runs its own heuristic with the
# settings of papers.<paper>.baselines; `best` takes the lowest of those and of every run of
# the paper on the instance.


rule groundstate_exact:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("arspin.commands.groundstate", solver_module("exact")),
    output:
        "results/groundstates/{set}/{size}/{index}/exact.h5",
    log:
        "logs/groundstates/{set}/{size}/{index}/exact.log",
    benchmark:
        "benchmarks/groundstates/{set}/{size}/{index}/exact.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=lambda w: int(config["groundstate"]["time_limit"] / 60) + 10,
    params:
        time_limit=config["groundstate"]["time_limit"],
    message:
        "ground state (exact ILP) {wildcards.set} size={wildcards.size} index={wildcards.index}"
    shell:
        "arspin groundstate --instance {input.instance} --method exact"
        " --time-limit {params.time_limit} --threads {threads} --out {output} > {log} 2>&1"


rule baseline:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=lambda w: code("arspin.commands.groundstate", solver_module(w.method)),
    output:
        "results/{paper}/{scale}/baselines/{set}/{size}/{index}/{method}.h5",
    log:
        "logs/{paper}/{scale}/baselines/{set}/{size}/{index}/{method}.log",
    benchmark:
        "benchmarks/{paper}/{scale}/baselines/{set}/{size}/{index}/{method}.tsv"
    wildcard_constraints:
        method="sa|pt",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=lambda w: int(paper_block(w.paper)["baselines"]["time_limit"] / 60) + 10,
    params:
        time_limit=lambda w: paper_block(w.paper)["baselines"]["time_limit"],
        sweeps=lambda w: paper_block(w.paper)["baselines"]["sweeps"],
        reads=lambda w: paper_block(w.paper)["baselines"]["reads"],
    message:
        "baseline {wildcards.method} of {wildcards.paper} on {wildcards.set}"
        " size={wildcards.size} index={wildcards.index} ({wildcards.scale})"
    shell:
        "arspin groundstate --instance {input.instance} --method {wildcards.method}"
        " --time-limit {params.time_limit} --sweeps {params.sweeps} --reads {params.reads}"
        " --out {output} > {log} 2>&1"


rule groundstate_best:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        sources=gs_sources,
        runs=runs_on,
        code=code("arspin.commands.groundstate"),
    output:
        "results/{paper}/{scale}/groundstates/{set}/{size}/{index}.h5",
    log:
        "logs/{paper}/{scale}/groundstates/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/{paper}/{scale}/groundstates/{set}/{size}/{index}.tsv"
    conda:
        ENV
    message:
        "best ground state of {wildcards.paper} on {wildcards.set} size={wildcards.size}"
        " index={wildcards.index}"
    shell:
        "arspin groundstate --instance {input.instance} --method best"
        " --sources {input.sources} --runs {input.runs} --out {output} > {log} 2>&1"
