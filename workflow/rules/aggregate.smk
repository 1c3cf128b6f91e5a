# Result files -> tidy CSV tables, one folder per figure (a figure rebuilds from its own runs
# only) plus `all` (every run, for the claims). Figures read only these tables.

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
