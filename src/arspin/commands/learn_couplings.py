"""`arspin learn-couplings`: Boltzmann samples of one instance, then a maximum-likelihood fit of
SK_1RSB with a learnable first layer (arspin.learn_couplings; the H2ARNN paper's Fig. 6).

    arspin learn-couplings --instance results/instances/sk-h2arnn/24/4.h5 --beta 2 \\
        --sampler metropolis --chains 100 --samples-per-chain 20 --burn-in 2000 --thin 20 \\
        --steps 1500 --lr 1e-3 --seed 0 --out couplings.h5
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    from arspin.learn_couplings import SAMPLERS

    parser = sub.add_parser(
        "learn-couplings", help="fit SK_1RSB with a learnable first layer to Monte Carlo samples",
        description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", required=True, type=Path, help="instance .h5")
    parser.add_argument("--beta", required=True, type=float, help="inverse temperature")
    parser.add_argument("--sampler", choices=SAMPLERS, default="metropolis",
                        help="metropolis (single-spin, default), reference (the H2ARNN code's "
                        "multi-spin proposal, a documented variant), exact (enumerated P_B)")
    parser.add_argument("--chains", type=int, default=100, help="Markov chains (default 100)")
    parser.add_argument("--samples-per-chain", type=int, default=20,
                        help="stored states per chain (default 20)")
    parser.add_argument("--burn-in", type=int, default=2000, help="sweeps discarded first")
    parser.add_argument("--thin", type=int, default=20, help="sweeps between stored states")
    parser.add_argument("--steps", type=int, default=1500, help="Adam steps (default 1500)")
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
    parser.add_argument("--seed", type=int, default=0, help="seed of sampler, init, batches")
    parser.add_argument("--out", required=True, type=Path, help="output .h5 (kind table)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import math

    from arspin import io
    from arspin.errors import ArspinError
    from arspin.learn_couplings import HPARAMS, NET, draw_samples, fit_couplings

    for flag, value, low in (("--chains", args.chains, 1), ("--samples-per-chain",
                             args.samples_per_chain, 1), ("--thin", args.thin, 1),
                             ("--steps", args.steps, 1), ("--burn-in", args.burn_in, 0)):
        if value < low:
            raise ArspinError(f"{flag}: must be >= {low}, got {value}")
    for flag, value in (("--beta", args.beta), ("--lr", args.lr)):
        if not (math.isfinite(value) and value > 0):
            raise ArspinError(f"{flag}: must be finite and > 0, got {value}")
    io.refuse_overwriting_inputs([args.out], [args.instance])
    model = io.read_instance(args.instance)
    samples = draw_samples(model, args.beta, args.sampler, chains=args.chains,
                           samples_per_chain=args.samples_per_chain, burn_in=args.burn_in,
                           thin=args.thin, seed=args.seed)
    log.info("%d samples (%s): acceptance %.3f, tau %.2f stored states, mean H/N %.4f",
             len(samples.x), samples.sampler, samples.acceptance, samples.tau,
             float(model.energy(samples.x).mean()) / model.n)
    fit = fit_couplings(model, samples.x, args.beta, steps=args.steps, lr=args.lr,
                        seed=args.seed)
    data = {"row": fit.rows, "col": fit.cols, "coupling": fit.coupling,
            "weight_init": fit.weight_init, "weight": fit.weight}
    parameters = {"beta": args.beta, "sampler": args.sampler, "chains": args.chains,
                  "samples_per_chain": args.samples_per_chain, "burn_in": args.burn_in,
                  "thin": args.thin, "steps": args.steps, "lr": args.lr, "net": NET,
                  "hparams": HPARAMS}
    attrs = {"n": model.n, "instance": str(args.instance), "instance_digest": model.digest,
             "samples": len(samples.x), "acceptance": samples.acceptance, "tau": samples.tau,
             "sample_energy": float(model.energy(samples.x).mean()) / model.n,
             "nll_first": float(fit.nll[0]), "nll_last": float(fit.nll[-1]),
             "n_params": fit.n_params, "seconds": fit.seconds,
             **io.provenance("arspin learn-couplings", parameters, args.seed)}
    io.write(args.out, "table", data, attrs)
    log.info("wrote %s: %d pairs, NLL per spin %.4f -> %.4f in %d steps (%.1f s)", args.out,
             len(fit.rows), fit.nll[0], fit.nll[-1], args.steps, fit.seconds)
    return 0
