"""MPVAN paper: the equal-sample budget of its SA and PT baselines (mpvan.md sections 4, 7).

One "sample" is one configuration whose energy is evaluated: a trained net's sample, or one
single-spin Metropolis proposal of SA or PT [choice, mpvan.md section 7; recorded in every
baseline file as `proposals`]. Per MPVAN run (Eq. 26, [recon]):

    N_total = N_annealing * N_train * N_samples (+ warm-up steps * N_samples) + N_final

SA restarts and PT chains fill N_total (Eqs. 27, 28): one SA restart makes
n_annealing * sweeps_per_beta sweeps of N proposals; one PT chain makes replicas * sweeps
sweeps of N proposals; the count of restarts / chains is N_total over that, rounded down (at
least one), so a baseline never uses more samples than the net it is compared with. Their beta
range is the net protocol's unless the config sets one.
"""

from __future__ import annotations

from arspin.betas import parse_betas


def net_samples(protocol: dict, final_samples: int) -> int:
    """N_total of one training run of ``protocol`` (a config protocol: betas, steps_per_beta,
    warmup_steps, batch) followed by ``final_samples`` fresh samples."""
    steps = len(parse_betas(str(protocol["betas"]))) * int(protocol["steps_per_beta"])
    steps += int(protocol.get("warmup_steps", 0))
    return steps * int(protocol["batch"]) + int(final_samples)


def sa_settings(budget: int, n: int, n_annealing: int, sweeps_per_beta: int) -> dict:
    """`arspin groundstate --method sa` settings that spend at most ``budget`` proposals on
    N spins: {"sweeps", "sweeps_per_beta", "reads", "proposals"}."""
    sweeps = int(n_annealing) * int(sweeps_per_beta)
    reads = max(1, int(budget) // (sweeps * int(n)))
    return {"sweeps": sweeps, "sweeps_per_beta": int(sweeps_per_beta), "reads": reads,
            "proposals": reads * sweeps * int(n)}


def pt_settings(budget: int, n: int, replicas: int, sweeps: int) -> dict:
    """`arspin groundstate --method pt` settings (``--reads`` = chains) within ``budget``
    proposals on N spins: {"sweeps", "replicas", "reads", "proposals"}."""
    per_chain = int(replicas) * int(sweeps) * int(n)
    chains = max(1, int(budget) // per_chain)
    return {"sweeps": int(sweeps), "replicas": int(replicas), "reads": chains,
            "proposals": chains * per_chain}


def beta_range(protocol: dict, spec: dict) -> tuple[float, float]:
    """(hottest, coldest) beta of a baseline: ``spec``'s beta_min / beta_max where given, else
    the ends of the net protocol's annealing grid (the same temperatures as the nets)."""
    betas = parse_betas(str(protocol["betas"]))
    return (float(spec.get("beta_min", betas.min())), float(spec.get("beta_max", betas.max())))
