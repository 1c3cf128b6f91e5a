# The MPVAN paper: which runs feed each of its tables folders and the rule that aggregates
# them. Training uses the generic rule (train.smk); figures and claims come from figures.smk.


include: "mpvan_inputs.smk"


rule aggregate_mpvan:
    input:
        unpack(mpvan_table_inputs),
        code=mpvan_aggregate_code,
    output:
        "results/mpvan/{scale}/tables/{group}/.done",
    log:
        "logs/mpvan/{scale}/tables/{group}.log",
    benchmark:
        "benchmarks/mpvan/{scale}/tables/{group}.tsv"
    wildcard_constraints:
        group="|".join(MPVAN.table_groups),
    conda:
        ENV
    params:
        tables=lambda w: ",".join(MPVAN.tables_of(w.group)),
        options=mpvan_options,
        out_dir=lambda w, output: os.path.dirname(output[0]),
    message:
        "tables of mpvan {wildcards.group} ({wildcards.scale})"
    shell:
        "arspin aggregate mpvan --runs {input.runs} --instances {input.instances}"
        " --exact {input.exact} --groundstates {input.groundstates}"
        " --tables {params.tables} --options {params.options}"
        " --out-dir {params.out_dir} > {log} 2>&1 && touch {output}"


# SA and PT with the sample budget of one net run (arspin.papers.mpvan.budget): one baseline
# file per (instance, method, protocol) of the groups in papers.mpvan.<scale>.baselines.
rule budget_baseline_mpvan:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=lambda w: code(
            "arspin.commands.groundstate", solver_module(w.method), "arspin.papers.mpvan.budget"
        ),
    output:
        "results/mpvan/{scale}/budget/{set}/{size}/{index}/{method}/{protocol}.h5",
    log:
        "logs/mpvan/{scale}/budget/{set}/{size}/{index}/{method}/{protocol}.log",
    benchmark:
        "benchmarks/mpvan/{scale}/budget/{set}/{size}/{index}/{method}/{protocol}.tsv"
    wildcard_constraints:
        method="sa|pt",
    conda:
        ENV
    threads: 1
    params:
        args=mpvan_budget_args,
    message:
        "{wildcards.method} with a net's budget on {wildcards.set} size={wildcards.size}"
        " index={wildcards.index} ({wildcards.protocol}, {wildcards.scale})"
    shell:
        "arspin groundstate --method {wildcards.method} --instance {input.instance}"
        " {params.args} --out {output} > {log} 2>&1"
