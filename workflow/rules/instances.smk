# An instance: imported from the user's reference file where instance_sets.<set>.reference_files
# names one that exists, else generated (deterministic in set, size and index).


rule instance:
    input:
        unpack(instance_inputs),
        code=code("arspin.commands.instance"),
    output:
        "results/instances/{set}/{size}/{index}.h5",
    log:
        "logs/instances/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/instances/{set}/{size}/{index}.tsv"
    conda:
        ENV
    params:
        command=instance_command,
    message:
        "instance {wildcards.set} size={wildcards.size} index={wildcards.index}"
    shell:
        "arspin instance {params.command} --out {output} > {log} 2>&1"
