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
            input:
                tables=f"results/{_paper}/{config['scale']}/tables/{_fig}/.done" if _reads else [],
                code=code("arspin.commands.figure", _entry.figure_module(_fig)),
            output:
                pdf=report(
                    f"{figure_dir(_paper)}/{_fig}.pdf",
                    caption=caption(_paper, _fig),
                    category=_entry.report_category or _paper,
                ),
                png=f"{figure_dir(_paper)}/{_fig}.png",
            log:
                f"logs/figures/{_paper}/{_fig}.log",
            benchmark:
                f"benchmarks/figures/{_paper}/{_fig}.tsv"
            conda:
                ENV
            params:
                paper=_paper,
                fig=_fig,
                tables=table_flag,
            message:
                f"figure {_fig}" if _paper == "twobo" else f"figure {_paper} {_fig}"
            shell:
                "arspin figure {params.paper} {params.fig} {params.tables} --out {output.pdf}"
                " --png {output.png} > {log} 2>&1"


# Each paper's own tables (Paper.paper_tables, e.g. MPVAN Tables 1-3): CSV + LaTeX beside it,
# read from the table's tables folder like a figure; options from the scale's table_options.
for _paper in built_papers():
    _entry = PAPERS[_paper]
    for _table, _reads in _entry.paper_tables.items():
        _base = f"results/{_paper}/{config['scale']}/paper_tables/{_table}"

        rule:
            name:
                f"table_{_paper}_{_table}"
            input:
                tables=f"results/{_paper}/{config['scale']}/tables/{_table}/.done" if _reads else [],
                code=code("arspin.commands.table", _entry.paper_table_module(_table)),
            output:
                csv=f"{_base}.csv",
                tex=f"{_base}.tex",
            log:
                f"logs/paper_tables/{_paper}/{_table}.log",
            benchmark:
                f"benchmarks/paper_tables/{_paper}/{_table}.tsv"
            conda:
                ENV
            params:
                paper=_paper,
                table=_table,
                tables=table_flag,
                options=paper_table_options(_paper, _table),
            message:
                f"table {_paper} {_table}"
            shell:
                "arspin table {params.paper} {params.table} {params.tables} {params.options}"
                " --out {output.csv} > {log} 2>&1"


rule claims:
    input:
        tables="results/{paper}/{scale}/tables/all/.done",
        code=lambda w: code("arspin.commands.claims", PAPERS[w.paper].module("claims")),
    output:
        "results/claims/{paper}-{scale}.json",
    log:
        "logs/claims/{paper}-{scale}.log",
    benchmark:
        "benchmarks/claims/{paper}-{scale}.tsv"
    conda:
        ENV
    params:
        tables=lambda w, input: os.path.dirname(input.tables),
    message:
        "claims of {wildcards.paper} ({wildcards.scale})"
    shell:
        "arspin claims {wildcards.paper} --tables {params.tables} --out {output} > {log} 2>&1"


rule claims_current:
    input:
        lambda w: f"results/claims/{w.paper}-{config['scale']}.json",
    output:
        "results/claims/{paper}.json",
    log:
        "logs/claims/{paper}.log",
    conda:
        ENV
    message:
        "claims of {wildcards.paper} at the configured scale"
    shell:
        "cp {input} {output} 2> {log}"


# Each paper's claims as a table in `snakemake --report` (HTML: the report shows it inline), one
# rule per paper so that the table sits under the paper's heading beside its figures.
for _paper in built_papers():

    rule:
        name:
            f"claims_table_{_paper}"
        input:
            f"results/claims/{_paper}.json",
        output:
            report(
                claims_table(_paper),
                caption="../report/claims.rst",
                category=PAPERS[_paper].report_category or _paper,
                subcategory="claims",
            ),
        log:
            f"logs/claims/{_paper}-table.log",
        params:
            title=f"{PAPERS[_paper].title}: claims at scale {config['scale']}",
        message:
            f"claims table of {_paper}"
        run:
            write_claims_table(input[0], output[0], params.title)
