"""`arspin exact`: exact thermodynamics of an instance, by enumeration of all 2^N states or by
variable elimination on a tree decomposition (sparse instances; limits in arspin.limits)."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arspin.betas import parse_betas
from arspin.errors import ArspinError
from arspin.limits import AUTO_ENUMERATION_MAX_N, ENUMERATION_MAX_N, TREE_MAX_WIDTH

log = logging.getLogger("arspin")

METHODS = ("auto", "enumeration", "tree", "curie-weiss")
CHUNK_BITS_MAX = 26  # arspin.exact.enumeration refuses more (2^26 x 240 bytes = 16 GB)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "exact",
        help=f"exact F, E, S, |M| per beta: enumeration (N <= {ENUMERATION_MAX_N}) or tree "
        f"decomposition (treewidth <= {TREE_MAX_WIDTH})",
        description=f"Exact F, E, S, |M| per beta of an instance: enumeration of all 2^N states "
        f"(N <= {ENUMERATION_MAX_N}) or variable elimination on a tree decomposition (sparse "
        f"instances of treewidth <= {TREE_MAX_WIDTH}).")
    parser.add_argument("--instance", required=True, type=Path, help="instance .h5")
    parser.add_argument("--betas", required=True, help="'0.5,1,2' or 'START:STOP:COUNT'")
    parser.add_argument("--method", choices=METHODS, default="auto",
                        help=f"auto (default): the finite-N Curie-Weiss sum for a Curie-Weiss "
                        f"instance (any N), else enumeration up to N = {AUTO_ENUMERATION_MAX_N} "
                        f"(seconds), else tree decomposition; enumeration: any N <= "
                        f"{ENUMERATION_MAX_N}; curie-weiss: the O(N) sum over magnetisations")
    parser.add_argument("--chunk-bits", type=int, default=16,
                        help="enumeration: log2 of the states held in memory at once (default 16)")
    parser.add_argument("--samples", type=int, default=1000,
                        help="tree: exact Boltzmann samples per beta for |M| (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="tree: seed of those samples")
    parser.add_argument("--out", required=True, type=Path, help="output exact-reference .h5")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin import exact, io
    from arspin.exact import tree_decomposition

    betas = parse_betas(args.betas)
    # the range arspin.exact.enumeration accepts; memory ~ 2^chunk_bits x 240 bytes
    if not 1 <= args.chunk_bits <= CHUNK_BITS_MAX:
        raise ArspinError(f"--chunk-bits: expected an integer in [1, {CHUNK_BITS_MAX}] (memory "
                          f"~ 2^chunk_bits x 240 bytes), got {args.chunk_bits}")
    io.refuse_overwriting_inputs([args.out], [args.instance])
    model = io.read_instance(args.instance)
    method = args.method
    cw = model.curie_weiss()
    if method == "auto":
        method = "curie-weiss" if cw else \
            "enumeration" if model.n <= AUTO_ENUMERATION_MAX_N else "tree"
    start = time.perf_counter()
    if method == "curie-weiss":
        if cw is None:
            raise ArspinError(f"{args.instance}: not a Curie-Weiss instance (every pair coupled "
                              f"equally, one field); use --method auto")
        result = exact.cw_thermodynamics_finite(model.n, betas, J=cw[0], h=cw[1])
        label, options = "curie-weiss (finite N)", {"J": cw[0], "h": cw[1]}
    elif method == "enumeration":
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
