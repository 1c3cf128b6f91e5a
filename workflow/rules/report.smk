# The reproduction report: each paper's numbers as LaTeX macros, its claims, readings,
# published-versus-measured tables and figure floats (`arspin report-tex paper`), the run's
# scale, git revision and versions (`arspin report-tex run`), then paper/arspin.pdf with
# latexmk (`arspin report-tex pdf`; Debian's TeX packages: scripts/setup-tex.sh). The PDF is
# in the default target only where latexmk is on the PATH (report_targets); asked for by name
# without TeX, its job fails with one message naming what to install. docs/report.md.


include: "report_inputs.smk"


rule report_tex_paper:
    input:
        claims=lambda w: f"results/claims/{w.paper}-{config['scale']}.json",
        tables=lambda w: f"results/{w.paper}/{config['scale']}/tables/all/.done",
        figures=lambda w: figure_targets(w.paper),
        paper_tables=lambda w: report_paper_tables(w.paper),
        captions=lambda w: report_captions(w.paper),
        code=code("arspin.commands.report_tex"),
    output:
        [f"paper/generated/{{paper}}/{part}.tex" for part in REPORT_PARTS],
    log:
        "logs/report/{paper}.log",
    conda:
        ENV
    params:
        tables=lambda w, input: os.path.dirname(input.tables),
        config=lambda w: report_config(w.paper),
        figure_dir=lambda w: figure_dir(w.paper),
        captions=lambda w: os.path.join(workflow.basedir, "workflow", "report", w.paper),
        paper_tables=lambda w: f"results/{w.paper}/{config['scale']}/paper_tables",
    message:
        "report LaTeX of {wildcards.paper}"
    shell:
        "arspin report-tex paper {wildcards.paper} --claims {input.claims}"
        " --tables {params.tables} --benchmarks benchmarks --config {params.config}"
        " --figure-dir {params.figure_dir} --captions {params.captions:q}"
        " --paper-tables {params.paper_tables} --out-dir paper/generated/{wildcards.paper}"
        " > {log} 2>&1"


rule report_tex_run:
    input:
        claims=[f"results/claims/{p}-{config['scale']}.json" for p in built_papers()],
        code=code("arspin.commands.report_tex"),
    output:
        "paper/generated/run.tex",
    log:
        "logs/report/run.log",
    conda:
        ENV
    params:
        scale=config["scale"],
        revision=git_revision(),
    message:
        "report LaTeX of the run (scale, revision, versions)"
    shell:
        "arspin report-tex run --scale {params.scale} --revision {params.revision:q}"
        " --claims {input.claims} --out {output} > {log} 2>&1"


rule report_pdf:
    input:
        tex=os.path.join(workflow.basedir, "paper", "arspin.tex"),
        generated=report_generated(),
        figures=[figure_targets(p) for p in built_papers()],
        paper_tables=[report_paper_tables(p) for p in built_papers()],
        code=code("arspin.commands.report_tex"),
    output:
        "paper/arspin.pdf",
    log:
        "logs/report/latexmk.log",
    benchmark:
        "benchmarks/report/pdf.tsv"
    conda:
        ENV
    message:
        "report paper/arspin.pdf (latexmk)"
    shell:
        "arspin report-tex pdf {input.tex:q} --build-dir paper/build --out {output} > {log} 2>&1"
