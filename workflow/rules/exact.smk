rule exact:
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("arspin.commands.exact"),
    output:
        "results/exact/{set}/{size}/{index}.h5",
    log:
        "logs/exact/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/exact/{set}/{size}/{index}.tsv"
    conda:
        ENV
    threads: 1
    params:
        betas=config["exact"]["betas"],
        method=exact_method_of,
        chunk_bits=config["exact"]["chunk_bits"],
        samples=config["exact"]["samples"],
    message:
        "exact reference {wildcards.set} size={wildcards.size} index={wildcards.index}"
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} arspin exact --instance {input.instance} --betas {params.betas}"
        " --method {params.method} --chunk-bits {params.chunk_bits} --samples {params.samples}"
        " --out {output} > {log} 2>&1"
