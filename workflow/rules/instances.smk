rule instance:
    message:
        "instance {wildcards.set} size={wildcards.size} index={wildcards.index}"
    input:
        code=code("hamiltonian.py", "instances", "commands/instance.py"),
    output:
        "results/instances/{set}/{size}/{index}.h5",
    params:
        family=lambda w: instance_spec(w.set)["family"],
        seed_rule=lambda w: instance_spec(w.set).get("seed_rule", "default"),
        options=lambda w: option_flags(instance_spec(w.set).get("options", {})),
    log:
        "logs/instances/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/instances/{set}/{size}/{index}.tsv"
    conda:
        ENV
    shell:
        "arspin instance generate --family {params.family} --size {wildcards.size}"
        " --index {wildcards.index} --seed-rule {params.seed_rule} {params.options}"
        " --out {output} > {log} 2>&1"
