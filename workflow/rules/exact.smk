rule exact:
    message:
        "exact enumeration {wildcards.set} size={wildcards.size} index={wildcards.index}"
    input:
        instance="results/instances/{set}/{size}/{index}.h5",
        code=code("hamiltonian.py", "exact", "commands/exact.py"),
    output:
        "results/exact/{set}/{size}/{index}.h5",
    params:
        betas=config["exact"]["betas"],
        chunk_bits=config["exact"]["chunk_bits"],
    threads: 1
    log:
        "logs/exact/{set}/{size}/{index}.log",
    benchmark:
        "benchmarks/exact/{set}/{size}/{index}.tsv"
    conda:
        ENV
    shell:
        "OPENBLAS_NUM_THREADS={threads} OMP_NUM_THREADS={threads} arspin exact --instance {input.instance} --betas {params.betas}"
        " --chunk-bits {params.chunk_bits} --out {output} > {log} 2>&1"
