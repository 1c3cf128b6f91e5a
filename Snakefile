# arspin: one DAG from instances to every figure of the three papers.
# Usage: snakemake --cores 2 [target]   (docs/workflow.md; README for the setup command)

import os

from snakemake.exceptions import WorkflowError
from snakemake.logging import logger
from snakemake.utils import min_version, validate

min_version("9.0")


# found beside this Snakefile even with --directory; --configfile FILE overrides keys
configfile: os.path.join(workflow.basedir, "config.yaml")


include: "workflow/rules/common.smk"


report: "workflow/report/workflow.rst"


try:
    validate(config, "workflow/schemas/config.schema.yaml")
except WorkflowError as exc:
    # Snakemake prints the whole schema; keep the two lines that name the key and the problem
    raise WorkflowError(config_error_summary(exc)) from None
# what the schema cannot see (labels, beta grids, seed-rule sizes, ...), before any job
check_config(config)


include: "workflow/rules/instances.smk"
include: "workflow/rules/exact.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/groundstate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


# each paper's own rules (its aggregation): workflow/rules/papers/<paper>.smk
for _paper in built_papers():

    include: f"workflow/rules/papers/{_paper}.smk"


rule all:
    default_target: True
    input:
        instance_targets(),
        exact_targets(),
        [figure_targets(p) for p in built_papers()],
        [paper_table_targets(p) for p in built_papers()],
        [f"results/claims/{p}.json" for p in built_papers()],
        [claims_table(p) for p in built_papers()],
        report_targets(),


# The end of a run says what it was for: the figures, each paper's claims, the report.
onsuccess:
    logger.info(run_summary(paper_outputs(), config["scale"], sys.argv))


onerror:
    logger.error(failure_hint(sys.argv))
