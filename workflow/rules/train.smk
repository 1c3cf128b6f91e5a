# Training of one net (a label of papers.<paper>.nets) with one annealing protocol on the
# instances of one chunk of indices (papers.<paper>.scales.<scale>.instances_per_job). One
# rule body for every paper; a rule per (paper, chunk) only because a rule's outputs are
# fixed when it is defined. Results, one file per instance:
# results/{paper}/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.h5

for _paper in training_papers():
    for _indices in train_chunks(_paper):
        _tag = f"{_indices[0]}-{_indices[-1]}" if len(_indices) > 1 else f"{_indices[0]}"

        rule:
            name:
                f"train_{_paper}_{_tag.replace('-', '_')}"
            input:
                instances=[f"results/instances/{{set}}/{{size}}/{i}.h5" for i in _indices],
                code=net_code,
            output:
                [
                    f"results/{{paper}}/{{scale}}/runs/{{set}}/{{size}}/{i}/{{net}}/{{protocol}}.h5"
                    for i in _indices
                ],
            log:
                f"logs/{{paper}}/{{scale}}/runs/{{set}}/{{size}}/{_tag}/{{net}}/{{protocol}}.log",
            benchmark:
                f"benchmarks/{{paper}}/{{scale}}/runs/{{set}}/{{size}}/{_tag}/{{net}}/{{protocol}}.tsv"
            wildcard_constraints:
                paper=_paper,
            conda:
                ENV
            threads: 1
            resources:
                **train_resources(_paper, len(_indices)),
            params:
                family=lambda w: net_family(w.paper, w.net, w.set),
                hparams=lambda w: json_arg(net_entry(w.paper, w.net)["hparams"]),
                lr=lambda w: protocol(w).get("lr", net_entry(w.paper, w.net)["lr"]),
                betas=lambda w: protocol(w)["betas"],
                warmup=lambda w: protocol(w)["warmup_steps"],
                steps=lambda w: protocol(w)["steps_per_beta"],
                batch=lambda w: protocol(w)["batch"],
                seed=lambda w: protocol(w)["seed"],
                early_stop=early_stop_flag,
                labels=run_labels(_indices),
            message:
                f"train {{wildcards.net}} on {{wildcards.set}} size={{wildcards.size}} index={_tag}"
                " ({wildcards.protocol}, {wildcards.scale})"
            shell:
                "arspin train --instance {input.instances} --net {params.family}"
                " --hparams {params.hparams} --lr {params.lr} --betas {params.betas}"
                " --warmup-steps {params.warmup} --steps-per-beta {params.steps}"
                " --batch {params.batch} --seed {params.seed} {params.early_stop}"
                " --labels {params.labels} --out {output} > {log} 2>&1"
