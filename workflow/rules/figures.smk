# Figures read only the aggregated tables; each figure's module is its code input, so editing
# one figure's style reruns that figure alone. One rule per figure (made in a loop) so that each
# PDF enters `snakemake --report` with its own caption (workflow/report/<fig>.rst).

for _fig in TWOBO_FIGURES:

    rule:
        name:
            f"figure_{_fig}"
        message:
            f"figure {_fig}"
        input:
            tables=[] if _fig == "fig1" else f"results/twobo/{config['scale']}/tables/{_fig}/.done",
            code=code("figures/__init__.py", "figures/style.py", "aggregate", "hamiltonian.py",
                      "instances", "commands/figure.py", f"figures/{_fig}.py"),
        output:
            pdf=report(f"figures/{_fig}.pdf", caption=f"../report/{_fig}.rst",
                       category="TwoBo paper"),
            png=f"figures/{_fig}.png",
        params:
            fig=_fig,
            tables=table_flag,
        log:
            f"logs/figures/{_fig}.log",
        benchmark:
            f"benchmarks/figures/{_fig}.tsv"
        conda:
            ENV
        shell:
            "arspin figure twobo {params.fig} {params.tables} --out {output.pdf}"
            " --png {output.png} > {log} 2>&1"


rule claims_twobo:
    message:
        "claims of the TwoBo paper ({wildcards.scale})"
    input:
        tables="results/twobo/{scale}/tables/all/.done",
        code=code("claims", "aggregate", "hamiltonian.py", "commands/claims.py"),
    output:
        "results/claims/twobo-{scale}.json",
    params:
        tables=lambda w, input: os.path.dirname(input.tables),
    log:
        "logs/claims/twobo-{scale}.log",
    benchmark:
        "benchmarks/claims/twobo-{scale}.tsv"
    conda:
        ENV
    shell:
        "arspin claims twobo --tables {params.tables} --out {output} > {log} 2>&1"


rule claims_twobo_current:
    message:
        "claims of the TwoBo paper at the configured scale"
    input:
        lambda w: f"results/claims/twobo-{config['scale']}.json",
    output:
        "results/claims/twobo.json",
    log:
        "logs/claims/twobo.log",
    conda:
        ENV
    shell:
        "cp {input} {output} 2> {log}"
