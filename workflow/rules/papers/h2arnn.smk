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
        " --exact {input.exact} --references {input.references} --couplings {input.couplings}"
        " --tables {params.tables} --options {params.options} --out-dir {params.out_dir}"
        " > {log} 2>&1"
        " && touch {output}"


rule reference_h2arnn:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("arspin.commands.reference"),
    output:
        "results/h2arnn/{scale}/reference/{set}/{size}/{index}.h5",
    log:
        "logs/h2arnn/{scale}/reference/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/h2arnn/{scale}/reference/{set}/{size}/{index}.tsv"
    conda:
        ENV
    threads: 1
    params:
        ladder=lambda w: h2arnn_reference(w.scale)["ladder"],
        sweeps=lambda w: h2arnn_reference(w.scale)["sweeps"],
        chains=lambda w: h2arnn_reference(w.scale)["chains"],
        record_every=lambda w: h2arnn_reference(w.scale).get("record_every", 20),
        seed=lambda w: h2arnn_reference(w.scale).get("seed", 0),
    message:
        "PT reference {wildcards.set} size={wildcards.size} index={wildcards.index} ({wildcards.scale})"
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} arspin reference"
        " --instance {input.instance} --betas {params.ladder} --ladder {params.ladder}"
        " --sweeps {params.sweeps} --chains {params.chains} --record-every {params.record_every}"
        " --seed {params.seed} --out {output} > {log} 2>&1"


rule couplings_h2arnn:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("arspin.commands.learn_couplings"),
    output:
        "results/h2arnn/{scale}/couplings/{set}/{size}/{index}.h5",
    log:
        "logs/h2arnn/{scale}/couplings/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/h2arnn/{scale}/couplings/{set}/{size}/{index}.tsv"
    conda:
        ENV
    threads: 1
    params:
        fig6=lambda w: h2arnn_fig6_flags(w.scale),
    message:
        "Fig. 6 couplings fit {wildcards.set} size={wildcards.size} index={wildcards.index} ({wildcards.scale})"
    shell:
        "arspin learn-couplings --instance {input.instance} {params.fig6} --out {output} > {log} 2>&1"
