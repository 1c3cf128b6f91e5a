# Every paper's figures and claims, from its aggregated tables (one tables folder per figure,
# `all` for the claims; each paper's .smk under papers/ builds them). The figure and table
# lists come from the papers' manifests (arspin.papers.PAPERS). One rule per figure, made in a
# loop, so that each PDF enters `snakemake --report` with its own caption
# (workflow/report/<paper>/<fig>.rst); each figure's module is its own code input, so editing
# one figure's style reruns that figure alone.


for _paper in built_papers():
    _entry = PAPERS[_paper]
    for _fig, _reads in _entry.figures.items():

        rule:
            name:
                f"figure_{_paper}_{_fig}"
            message:
                f"figure {_fig}" if _paper == "twobo" else f"figure {_paper} {_fig}"
            input:
                tables=f"results/{_paper}/{config['scale']}/tables/{_fig}/.done" if _reads else [],
                code=code("arspin.commands.figure", _entry.figure_module(_fig)),
            output:
                pdf=report(f"{_entry.figure_dir}/{_fig}.pdf",
                           caption=caption(_paper, _fig),
                           category=_entry.report_category or _paper),
                png=f"{_entry.figure_dir}/{_fig}.png",
            params:
                paper=_paper,
                fig=_fig,
                tables=table_flag,
            log:
                f"logs/figures/{_paper}/{_fig}.log",
            benchmark:
                f"benchmarks/figures/{_paper}/{_fig}.tsv"
            conda:
                ENV
            shell:
                "arspin figure {params.paper} {params.fig} {params.tables} --out {output.pdf}"
                " --png {output.png} > {log} 2>&1"


rule claims:
    message:
        "claims of {wildcards.paper} ({wildcards.scale})"
    input:
        tables="results/{paper}/{scale}/tables/all/.done",
        code=lambda w: code("arspin.commands.claims", PAPERS[w.paper].module("claims")),
    output:
        "results/claims/{paper}-{scale}.json",
    params:
        tables=lambda w, input: os.path.dirname(input.tables),
    log:
        "logs/claims/{paper}-{scale}.log",
    benchmark:
        "benchmarks/claims/{paper}-{scale}.tsv"
    conda:
        ENV
    shell:
        "arspin claims {wildcards.paper} --tables {params.tables} --out {output} > {log} 2>&1"


rule claims_current:
    message:
        "claims of {wildcards.paper} at the configured scale"
    input:
        lambda w: f"results/claims/{w.paper}-{config['scale']}.json",
    output:
        "results/claims/{paper}.json",
    log:
        "logs/claims/{paper}.log",
    conda:
        ENV
    shell:
        "cp {input} {output} 2> {log}"
