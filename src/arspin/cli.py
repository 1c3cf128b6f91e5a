"""The `arspin` command line: one subcommand per pipeline stage (see arspin/commands/)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from arspin import __version__
from arspin.errors import ArspinError

# Each module in arspin.commands adds one subcommand; imported lazily so that `arspin show`
# does not pay for importing JAX.
COMMANDS = ["instance", "exact", "reference", "train", "learn_couplings", "show", "groundstate",
            "aggregate", "figure", "table", "claims", "report_tex"]

# JAX logs every backend it probes (tpu, cuda) at INFO; matplotlib's PDF backend makes fontTools
# log ~100 INFO lines of glyph subsetting per figure. Their warnings still show.
QUIET_LOGGERS = ("jax", "fontTools")


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
    # Third-party loggers that are chatty at INFO: only their warnings reach a job's log
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return status
    except BrokenPipeError:
        # `arspin show FILE | head`: the reader has what it wanted; no traceback, and no second
        # error when Python flushes stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as if killed by SIGPIPE, like other command-line tools
    except ArspinError as exc:
        print(f"arspin: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("arspin: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
