# The TwoBo paper: which runs, references and ground states feed each of its tables folders
# (one per figure that reads tables, plus `all` for the claims; arspin.papers.twobo), and the
# rule that aggregates them. Figures and claims are built by figures.smk from these folders.


include: "twobo_inputs.smk"


rule aggregate_twobo:
    input:
        unpack(twobo_table_inputs),
        code=twobo_aggregate_code,
    output:
        "results/twobo/{scale}/tables/{group}/.done",
    log:
        "logs/twobo/{scale}/tables/{group}.log",
    benchmark:
        "benchmarks/twobo/{scale}/tables/{group}.tsv"
    wildcard_constraints:
        group="|".join(TWOBO.table_groups),
    conda:
        ENV
    params:
        tables=lambda w: ",".join(TWOBO.tables_of(w.group)),
        options=twobo_options,
        out_dir=lambda w, output: os.path.dirname(output[0]),
    message:
        "tables of {wildcards.group} ({wildcards.scale})"
    shell:
        "arspin aggregate twobo --runs {input.runs} --exact {input.exact}"
        " --groundstates {input.groundstates} --instances {input.instances}"
        " --tables {params.tables} --options {params.options} --out-dir {params.out_dir}"
        " > {log} 2>&1 && touch {output}"
