"""`arspin instance generate|import|export|families`: instances to and from HDF5."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
from pathlib import Path

import yaml

from arspin.errors import ArspinError

log = logging.getLogger("arspin")


def _parse_options(pairs: list[str]) -> dict:
    """KEY=VALUE pairs, values parsed as YAML scalars (0.25 -> float, true -> bool)."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ArspinError(f"--option '{pair}': expected KEY=VALUE")
        options[key.strip()] = yaml.safe_load(value)
    return options


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("instance", help="generate, import or export Ising instances")
    isub = parser.add_subparsers(dest="instance_command", metavar="ACTION", required=True)

    gen = isub.add_parser("generate", help="generate an instance of a family (deterministic)")
    gen.add_argument("--family", required=True, help="family name (see `arspin instance families`)")
    gen.add_argument("--size", required=True, type=int, help="L for lattices, N otherwise")
    gen.add_argument("--index", required=True, type=int, help="instance index (>= 0)")
    gen.add_argument("--seed-rule", default="default",
                     help="how the index maps to random numbers: default, or a seed rule of "
                          "the family (`arspin instance families`, docs/instances.md)")
    gen.add_argument("--order", type=int, default=0, metavar="K",
                     help="spin order: 0 = the generator's labels, K >= 1 = random "
                          "permutation number K of this instance (docs/instances.md)")
    gen.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                     help="family option, repeatable, e.g. -o alpha=0.25 -o gauge=true")
    gen.add_argument("--out", required=True, type=Path, help="output instance .h5")
    gen.set_defaults(func=run_generate)

    imp = isub.add_parser("import", help="import a scipy .npz coupling matrix or an edge list")
    imp.add_argument("file", type=Path, help=".npz (scipy sparse, any triangle) or text `i j J`")
    imp.add_argument("--family", help="family label to record (default 'from-file'), e.g. rrg "
                     "for the TwoBo reference's RRG files")
    imp.add_argument("--expect-n", type=int, metavar="N",
                     help="refuse the file unless it has exactly N spins")
    imp.add_argument("--out", required=True, type=Path, help="output instance .h5")
    imp.set_defaults(func=run_import)

    exp = isub.add_parser("export", help="export to the TwoBo reference .npz format")
    exp.add_argument("instance", type=Path, help="instance .h5")
    exp.add_argument("--out", required=True, type=Path, help="output .npz")
    exp.set_defaults(func=run_export)

    fam = isub.add_parser("families", help="list families and their options")
    fam.set_defaults(func=run_families)


def run_generate(args: argparse.Namespace) -> int:
    from arspin import instances, io

    options = _parse_options(args.option)
    if args.size < 1:
        raise ArspinError(f"--size must be >= 1, got {args.size}")
    if args.index < 0:
        raise ArspinError(f"--index must be >= 0, got {args.index}")
    model = instances.generate(args.family, args.size, args.index, args.seed_rule,
                               order=args.order, **options)
    params = {"family": args.family, "size": args.size, "index": args.index,
              "seed_rule": args.seed_rule, "options": model.meta.get("options", options),
              **({"order": args.order} if args.order else {})}
    io.write_instance(args.out, model,
                      io.provenance("arspin instance generate", params, model.meta.get("seed")))
    log.info("wrote %s: N=%d, %d bonds", args.out, model.n, model.n_edges)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from arspin import io
    from arspin.instances import fileformats

    if not args.file.exists():
        raise ArspinError(f"{args.file}: field '(file)': no such file")
    io.refuse_overwriting_inputs([args.out], [args.file])
    if args.file.suffix == ".npz":
        model = fileformats.import_npz(args.file)
    else:
        model = fileformats.import_edgelist(args.file)
    if args.expect_n is not None and model.n != args.expect_n:
        raise ArspinError(f"{args.file}: field '(matrix)': {model.n} spins, expected "
                          f"{args.expect_n}")
    if args.family:
        model = dataclasses.replace(model, meta={**model.meta, "family": args.family})
    params = {"source": str(args.file), "format": "npz" if args.file.suffix == ".npz" else "edgelist"}
    io.write_instance(args.out, model, io.provenance("arspin instance import", params, None))
    log.info("wrote %s: N=%d, %d bonds", args.out, model.n, model.n_edges)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from arspin import io
    from arspin.instances import fileformats

    fileformats.export_npz(io.read_instance(args.instance), args.out)
    log.info("wrote %s", args.out)
    return 0


def run_families(args: argparse.Namespace) -> int:
    from arspin import instances

    print(json.dumps(instances.FAMILIES, indent=2, default=str))
    return 0
