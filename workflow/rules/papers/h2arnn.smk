# The H2ARNN paper: which runs and instances feed each of its tables folders (one per figure
# that reads tables, plus `all` for the claims; arspin.papers.h2arnn), the rule that aggregates
# them, and (for now) its training rules. Figures and claims are built by figures.smk.


include: "h2arnn_inputs.smk"


rule aggregate_h2arnn:
    input:
        unpack(h2arnn_table_inputs),
        code=h2arnn_aggregate_code,
    output:
        "results/h2arnn/{scale}/tables/{group}/.done",
    log:
        "logs/h2arnn/{scale}/tables/{group}.log",
    benchmark:
        "benchmarks/h2arnn/{scale}/tables/{group}.tsv"
    wildcard_constraints:
        group="|".join(H2ARNN.table_groups),
    conda:
        ENV
    params:
        tables=lambda w: ",".join(H2ARNN.tables_of(w.group)),
        options=h2arnn_options,
        out_dir=lambda w, output: os.path.dirname(output[0]),
    message:
        "tables of h2arnn {wildcards.group} ({wildcards.scale})"
    shell:
        "arspin aggregate h2arnn --runs {input.runs} --instances {input.instances}"
        " --tables {params.tables} --options {params.options} --out-dir {params.out_dir}"
        " > {log} 2>&1"
        " && touch {output}"
