# Figures read only the aggregated tables; each figure's module is its code input, so editing
# one figure's style reruns that figure alone.

rule figure_twobo:
    message:
        "figure {wildcards.fig}"
    input:
        tables=lambda w: [] if w.fig == "fig1" else f"results/twobo/{config['scale']}/tables/{w.fig}/.done",
        code=code("figures/__init__.py", "figures/style.py", "aggregate", "hamiltonian.py",
                  "instances", "commands/figure.py") + [str(SRC / "figures" / "{fig}.py")],
    output:
        pdf="figures/{fig}.pdf",
        png="figures/{fig}.png",
    wildcard_constraints:
        fig="|".join(TWOBO_FIGURES),
    params:
        tables=lambda w: f"results/twobo/{config['scale']}/tables/{w.fig}",
    log:
        "logs/figures/{fig}.log",
    benchmark:
        "benchmarks/figures/{fig}.tsv"
    conda:
        ENV
    shell:
        "arspin figure twobo {wildcards.fig} --tables {params.tables} --out {output.pdf}"
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
        tables=lambda w: f"results/twobo/{w.scale}/tables/all",
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
