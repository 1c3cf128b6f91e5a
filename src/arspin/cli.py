"""The `arspin` command line: one subcommand per pipeline stage (see arspin/commands/)."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from arspin import __version__
from arspin.errors import ArspinError

# Each module in arspin.commands adds one subcommand; imported lazily so that `arspin show`
# does not pay for importing JAX.
COMMANDS = ["instance", "exact", "train", "show", "groundstate", "aggregate", "figure", "claims"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="arspin",
        description="Autoregressive neural networks for Ising spin systems: "
        "instances, exact references, training, ground states, figures.",
    )
    parser.add_argument("--version", action="version", version=f"arspin {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"arspin.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still under construction
            if exc.name != f"arspin.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # JAX logs every backend it probes (tpu, cuda) at INFO; only its warnings matter here
    logging.getLogger("jax").setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except ArspinError as exc:
        print(f"arspin: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("arspin: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
