"""`arspin exact`: exact thermodynamics of an instance, by enumeration of all 2^N states or by
variable elimination on a tree decomposition (sparse instances of treewidth <= 25)."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arspin.betas import parse_betas
from arspin.errors import ArspinError

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "exact", help="exact F, E, S, |M| per beta: enumeration (N <= 34) or tree decomposition")
    parser.add_argument("--instance", required=True, type=Path, help="instance .h5")
    parser.add_argument("--betas", required=True, help="'0.5,1,2' or 'START:STOP:COUNT'")
    parser.add_argument("--method", choices=("auto", "enumeration", "tree"), default="auto",
                        help="auto (default): enumeration up to N = 24, else tree decomposition")
    parser.add_argument("--chunk-bits", type=int, default=16,
                        help="enumeration: log2 of the states held in memory at once (default 16)")
    parser.add_argument("--samples", type=int, default=1000,
                        help="tree: exact Boltzmann samples per beta for |M| (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="tree: seed of those samples")
    parser.add_argument("--out", required=True, type=Path, help="output exact-reference .h5")
    parser.set_defaults(func=run)


AUTO_ENUMERATION_MAX_N = 24  # 2^24 states: seconds (bench/enumeration.py)


def run(args: argparse.Namespace) -> int:
    from arspin import exact, io
    from arspin.exact import tree_decomposition

    betas = parse_betas(args.betas)
    model = io.read_instance(args.instance)
    method = args.method
    if method == "auto":
        method = "enumeration" if model.n <= AUTO_ENUMERATION_MAX_N else "tree"
    start = time.perf_counter()
    if method == "enumeration":
        if model.n > exact.enumeration.MAX_THERMO_N:
            raise ArspinError(f"{args.instance}: N = {model.n} is too large to enumerate "
                              f"(max {exact.enumeration.MAX_THERMO_N}); try --method tree")
        result = exact.thermodynamics(model, betas, chunk_bits=args.chunk_bits)
        label, options = "enumeration", {"chunk_bits": args.chunk_bits}
    else:
        try:
            result = tree_decomposition.thermodynamics(model, betas, samples=args.samples,
                                                       seed=args.seed)
        except ValueError as exc:
            raise ArspinError(f"{args.instance}: {exc}") from None
        label = f"tree decomposition (width {result.pop('width')})"
        options = {"samples": args.samples, "seed": args.seed}
    seconds = time.perf_counter() - start
    attrs = {
        "n": model.n,
        "instance": str(args.instance),
        "method": label,
        "seconds": seconds,
        **io.provenance("arspin exact", {"betas": betas.tolist(), "method": method, **options},
                        None),
    }
    io.write_exact(args.out, result, attrs)
    log.info("wrote %s: N=%d, %s, %d betas in %.2f s", args.out, model.n, label, betas.size,
             seconds)
    return 0
