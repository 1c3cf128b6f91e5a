# Training of one net (a label of config `nets`) on one instance with one annealing protocol.
# Results: results/twobo/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.h5


rule train_twobo:
    message:
        "train {wildcards.net} on {wildcards.set} size={wildcards.size} index={wildcards.index}"
        " ({wildcards.protocol}, {wildcards.scale})"
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("hamiltonian.py", "jaxsetup.py", "train.py", "checkpoint.py", "progress.py",
                  "nets", "commands/train.py", "commands/exact.py"),
    output:
        "results/twobo/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.h5",
    params:
        family=lambda w: net_family(w.net, w.set),
        hparams=lambda w: json_arg(net_entry(w.net)["hparams"]),
        lr=lambda w: net_entry(w.net)["lr"],
        betas=lambda w: protocol(w)["betas"],
        warmup=lambda w: protocol(w)["warmup_steps"],
        steps=lambda w: protocol(w)["steps_per_beta"],
        batch=lambda w: protocol(w)["batch"],
        seed=lambda w: protocol(w)["seed"],
        labels=run_labels,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
        gpu=0,
    log:
        "logs/twobo/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.log",
    benchmark:
        "benchmarks/twobo/{scale}/runs/{set}/{size}/{index}/{net}/{protocol}.tsv"
    conda:
        ENV
    shell:
        "arspin train --instance {input.instance} --net {params.family} --hparams {params.hparams}"
        " --lr {params.lr} --betas {params.betas} --warmup-steps {params.warmup}"
        " --steps-per-beta {params.steps} --batch {params.batch} --seed {params.seed}"
        " --labels {params.labels} --out {output} > {log} 2>&1"
