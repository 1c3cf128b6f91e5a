# Training of one net (a label of config `nets`) with one annealing protocol on the instances
# of one chunk of indices (scales.<scale>.twobo.instances_per_job; one rule per chunk, since a
# rule's outputs are fixed when it is defined). Results, one file per instance:
# results/twobo/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.h5

for _indices in train_chunks():
    _tag = f"{_indices[0]}-{_indices[-1]}" if len(_indices) > 1 else f"{_indices[0]}"

    rule:
        name:
            f"train_twobo_{_tag.replace('-', '_')}"
        message:
            f"train {{wildcards.net}} on {{wildcards.set}} size={{wildcards.size}} index={_tag}"
            " ({wildcards.protocol}, {wildcards.scale})"
        input:
            instances=[f"results/instances/{{set}}/{{size}}/{i}.h5" for i in _indices],
            code=code("hamiltonian.py", "jaxsetup.py", "train.py", "checkpoint.py",
                      "progress.py", "nets", "commands/train.py", "commands/exact.py"),
        output:
            [f"results/twobo/{{scale}}/runs/{{set}}/{{size}}/{i}/{{net}}/{{protocol}}.h5"
             for i in _indices],
        params:
            family=lambda w: net_family(w.net, w.set),
            hparams=lambda w: json_arg(net_entry(w.net)["hparams"]),
            lr=lambda w: net_entry(w.net)["lr"],
            betas=lambda w: protocol(w)["betas"],
            warmup=lambda w: protocol(w)["warmup_steps"],
            steps=lambda w: protocol(w)["steps_per_beta"],
            batch=lambda w: protocol(w)["batch"],
            seed=lambda w: protocol(w)["seed"],
            labels=run_labels(_indices),
        threads: 1
        resources:
            **train_resources(len(_indices)),
        log:
            f"logs/twobo/{{scale}}/runs/{{set}}/{{size}}/{_tag}/{{net}}/{{protocol}}.log",
        benchmark:
            f"benchmarks/twobo/{{scale}}/runs/{{set}}/{{size}}/{_tag}/{{net}}/{{protocol}}.tsv"
        conda:
            ENV
        shell:
            "arspin train --instance {input.instances} --net {params.family}"
            " --hparams {params.hparams} --lr {params.lr} --betas {params.betas}"
            " --warmup-steps {params.warmup} --steps-per-beta {params.steps}"
            " --batch {params.batch} --seed {params.seed} --labels {params.labels}"
            " --out {output} > {log} 2>&1"
