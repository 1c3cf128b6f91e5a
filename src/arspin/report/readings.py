"""Every reconstructed, lost or chosen setting of the spec, with the value this run used.

The spec (shared/spec/figures.md, mpvan.md, physics.md) marks what the papers do not give:
[recon] a lost equation read in the most faithful way, [lost] a setting no public material
gives, [choice] where the paper is silent and the pipeline picks. Each :class:`Reading` names
the item, where the spec discusses it and how to read the value used from the configuration
the report's rule passes (``{"scale", "paper", "instance_sets", "groundstate"}``: the paper's
block of config.yaml and the shared keys it uses), falling back to the nets' registered
defaults (arspin.nets.registry) where the config leaves a hyperparameter out.

    readings(paper) -> [Reading]
    resolve(paper, cfg) -> [(tag, item, spec, value)]  (value a plain string)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Config = dict[str, Any]


@dataclass(frozen=True)
class Reading:
    """One [recon]/[lost]/[choice] item.

    Attributes:
        tag: "recon", "lost" or "choice".
        item: what the papers leave open, in a few words.
        spec: where the spec discusses it (file and section).
        value: the value used, read from the config (a function of the config slice).
    """

    tag: str
    item: str
    spec: str
    value: Callable[[Config], str]


def _scale(cfg: Config) -> dict[str, Any]:
    return cfg["paper"]["scales"][cfg["scale"]]


def _hparam(cfg: Config, label: str, key: str) -> Any:
    """A net label's hyperparameter: the config's value, else the registered default."""
    from arspin.nets.registry import NETS

    entry = cfg["paper"]["nets"][label]
    if key in entry.get("hparams", {}):
        return entry["hparams"][key]
    return NETS[entry["net"]].hparams[key].default


def _protocols(cfg: Config, group: str) -> list[dict[str, Any]]:
    """The protocols of one run group at the configured scale (its independent runs)."""
    scale = _scale(cfg)
    return [scale["protocols"][name] for name in scale["runs"][group]["protocols"]]


def _grid(text: str) -> tuple[float, float, int]:
    start, stop, count = text.split(":")
    return float(start), float(stop), int(count)


def _g(x: float) -> str:
    return f"{x:g}"


def _sizes(cfg: Config, group: str, family_prefix: str = "") -> list[int]:
    inst = _scale(cfg)["runs"][group]["instances"]
    return sorted({s for name, sizes in inst.items() if name.startswith(family_prefix)
                   for s in sizes})


def _schedule(cfg: Config, group: str) -> str:
    p = _protocols(cfg, group)[0]
    b0, b1, n = _grid(p["betas"])
    return (f"beta {_g(b0)}..{_g(b1)} linear in {n} steps, {p['steps_per_beta']} steps "
            f"per beta, batch {p['batch']}, warm-up {p['warmup_steps']}, Adam lr "
            f"{_g(p.get('lr', 1e-3))}, {len(_protocols(cfg, group))} independent runs")


def _budget(cfg: Config, group: str) -> str:
    p = _protocols(cfg, group)[0]
    n_anneal = _grid(p["betas"])[2]
    final = _scale(cfg)["final"]["final_samples"]
    total = n_anneal * p["steps_per_beta"] * p["batch"] + final
    return f"{n_anneal} x {p['steps_per_beta']} x {p['batch']} + {final} = {total:,}"


def _sets(cfg: Config, family: str) -> list[str]:
    return sorted(name for name in _scale(cfg)["instances"]
                  if cfg["instance_sets"][name]["family"] == family)


def _options(cfg: Config, family: str, keys: tuple[str, ...]) -> str:
    values = {tuple(cfg["instance_sets"][s]["options"].get(k) for k in keys)
              for s in _sets(cfg, family)}
    return "; ".join(", ".join(f"{k} {v}" for k, v in zip(keys, vals, strict=True))
                     for vals in sorted(values, key=str))


def _labels_with(cfg: Config, key: str) -> str:
    return ", ".join(f"{label}: {_hparam(cfg, label, key)}"
                     for label, entry in cfg["paper"]["nets"].items() if entry["net"] == "mpvan")


TWOBO = [
    Reading("lost", "RNN variant on 3D EA and RRG (the 2D RNN needs a lattice)",
            "figures.md, TwoBo Fig. 2",
            lambda c: f"{c['paper']['nets']['rnn'].get('net_off_lattice', 'rnn1d')} "
                      f"(1D RNN over the site order)"),
    Reading("choice", "RNN memory units (\"comparable parameter count\")",
            "figures.md, TwoBo Fig. 2; physics.md RNN",
            lambda c: f"hidden {_hparam(c, 'rnn', 'hidden')}, per-site cells "
                      f"{_hparam(c, 'rnn', 'per_site')}"),
    Reading("choice", "F at a beta: last step of the beta block or a window mean",
            "figures.md, TwoBo Fig. 2",
            lambda c: "mean of the last min(20, K) steps of the block (Fig. 2, the claims); "
                      "the last step in the tables' plain columns"),
    Reading("lost", "Fig. 3: the 2D size and the three betas",
            "figures.md, TwoBo Fig. 3",
            lambda c: f"{_scale(c)['fig3']['instance_set']} L = {_scale(c)['fig3']['size']}, "
                      f"betas {', '.join(_g(b) for b in _scale(c)['fig3']['betas'])}"),
    Reading("lost", "Fig. S3: the RNN sizes", "figures.md, TwoBo Fig. S3",
            lambda c: ", ".join(f"{n}: hidden {_hparam(c, n, 'hidden')}"
                                for n in _scale(c)["runs"]["figS3"]["nets"] if n != "twobo")),
    Reading("lost", "Ground states (McGroundstate, MQLib not reachable)",
            "figures.md, TwoBo Fig. 2",
            lambda c: f"exact max-cut ILP (HiGHS, {c['groundstate']['time_limit']} s limit, "
                      f"N <= {c['groundstate']['exact_max_n']}), best of it, "
                      f"{c['paper']['baselines']['heuristic'].upper()} and the nets"),
    Reading("choice", "Schedule at this scale (paper: 500 warm-up, 200 per beta, batch 1024)",
            "figures.md, TwoBo common settings", lambda c: _schedule(c, "fig2")),
]

H2ARNN = [
    Reading("choice", "Fig. 4e: nets saved at beta 1.2 (code) or 1.3 (caption)",
            "figures.md, H2ARNN Fig. 4, cross-cutting decisions",
            lambda c: f"protocol {_scale(c)['fig4']['pq_protocol']} (stops at beta "
                      f"{_g(_grid(_scale(c)['protocols'][_scale(c)['fig4']['pq_protocol']]['betas'])[1])})"),
    Reading("choice", "P(q) histograms: the paper's 50 bins or bins aligned to the allowed q",
            "figures.md, H2ARNN Figs. 4e, 5e",
            lambda c: f"Fig. 4e {_scale(c)['fig4']['pq_binning']}, Fig. 5e "
                      f"{_scale(c)['fig5']['pq_binning']}; {_scale(c)['fig5']['pq_samples']:,} "
                      f"samples per net"),
    Reading("choice", "Fig. 5e: 9 or 10 seeds", "figures.md, H2ARNN Fig. 5e",
            lambda c: f"{_scale(c)['runs']['fig5e'].get('count', 'every')} instances"),
    Reading("choice", "CW_inf trained or analytic", "figures.md, cross-cutting decisions",
            lambda c: f"cw-inf: {_hparam(c, 'cw-inf', 'values')} (analytic as label "
                      f"cw-inf-analytic)"),
    Reading("choice", "SK skip (a_i, c_i) trained (code) or fixed at 2 beta (paper)",
            "figures.md, cross-cutting decisions",
            lambda c: "fixed" if _hparam(c, "sk-rs", "fixed_skip") else "trained (the code)"),
    Reading("recon", "Trained skip's initial beta", "docs/h2arnn_nets.md",
            lambda c: f"skip_init_beta {_g(_hparam(c, 'sk-rs', 'skip_init_beta'))}"),
    Reading("choice", "F reported from the last training batches (code) or fresh samples",
            "figures.md, H2ARNN shared protocol",
            lambda c: f"mean of the last {_protocols(c, 'fig4')[0]['early_stop']['min_collected']}"
                      f" collected training batches of {_protocols(c, 'fig4')[0]['batch']}"),
    Reading("choice", "Schedule at this scale (paper: <= 1020 steps per beta, lr 1e-3)",
            "figures.md, H2ARNN shared protocol", lambda c: "Curie-Weiss: " + _schedule(c, "fig4")
            + "; SK: " + _schedule(c, "fig5")),
    Reading("choice", "Independent SK reference (PT + thermodynamic integration)",
            "figures.md, cross-cutting decisions; physics.md",
            lambda c: f"N = {', '.join(map(str, _scale(c)['reference']['sizes']))}, "
                      f"{_scale(c)['reference']['chains']} chains x "
                      f"{_scale(c)['reference']['sweeps']:,} sweeps, ladder "
                      f"{_scale(c)['reference']['ladder']}"),
]

MPVAN = [
    Reading("recon", "The MPVAN layer (Eq. 3): masked layers of width 1", "mpvan.md sec. 2",
            lambda c: f"{_hparam(c, 'mpvan', 'layers')} layers"),
    Reading("choice", "Initialisation", "mpvan.md sec. 2",
            lambda c: "VAN code: U(+-1/sqrt(fan_in)) x mask x sqrt(entries/unmasked)"),
    Reading("recon", "Message-passing mechanisms (Eqs. 7-10, S1, S2)", "mpvan.md sec. 3",
            lambda c: _labels_with(c, "mechanism")),
    Reading("recon", "Weight of a node's own feature, Eq. (10)", "mpvan.md sec. 3",
            lambda c: _g(float(_hparam(c, "mpvan", "self_weight")))),
    Reading("recon", "GCN degree: full graph or earlier neighbours, Eq. (7)", "mpvan.md sec. 3",
            lambda c: str(_hparam(c, "gcon-van", "gcn_degree"))),
    Reading("recon", "First layer: input features and message passing", "mpvan.md sec. 3",
            lambda c: f"input {_hparam(c, 'mpvan', 'first_layer_input')}, message passing in "
                      f"{_hparam(c, 'mpvan', 'mp_layers')} layers"),
    Reading("choice", "Annealing, WPE (spacing, range, N_train, N_samples, lr)",
            "mpvan.md sec. 4", lambda c: _schedule(c, "fig4a")),
    Reading("choice", "Annealing, SK", "mpvan.md sec. 4", lambda c: _schedule(c, "fig4b")),
    Reading("choice", "Annealing, SK variants", "mpvan.md sec. 4", lambda c: _schedule(c, "fig5")),
    Reading("recon", "Sample budget, Eq. (26): N_annealing N_train N_samples + N_final",
            "mpvan.md sec. 4",
            lambda c: f"WPE {_budget(c, 'fig4a')}; SK {_budget(c, 'fig4b')}"),
    Reading("recon", "Residual energy, Eq. (25): per site, run mean then instance mean",
            "mpvan.md sec. 4", lambda c: "([<E_min>_runs]_instances - E_g) / N"),
    Reading("choice", "Approximation ratio (Fig. S7)", "mpvan.md sec. 4",
            lambda c: "E_min / E_g"),
    Reading("choice", "Negative entropy plotted per spin", "mpvan.md sec. 4",
            lambda c: "-S / N = mean ln q / N"),
    Reading("choice", "A sample for SA and PT", "mpvan.md sec. 7",
            lambda c: "one single-spin Metropolis proposal"),
    Reading("choice", "SA schedule", "mpvan.md sec. 7",
            lambda c: f"{_scale(c)['baselines']['sa']['n_annealing']} temperatures linear in "
                      f"beta, {_scale(c)['baselines']['sa']['sweeps_per_beta']} sweep(s) each; "
                      f"restarts fill the budget"),
    Reading("choice", "PT schedule", "mpvan.md sec. 7",
            lambda c: f"{_scale(c)['baselines']['pt']['replicas']} replicas geometric in beta, "
                      f"{_scale(c)['baselines']['pt']['sweeps']} sweeps; chains fill the budget"),
    Reading("lost", "WPE alpha, coupling distribution and gauge", "mpvan.md sec. 8.1",
            lambda c: _options(c, "wpe", ("alpha", "r_dist", "gauge"))),
    Reading("recon", "SK variants: coupling variance and deletion", "mpvan.md sec. 8.3",
            lambda c: _options(c, "sk_variant", ("variance", "deletion")) + "; degrees "
                      + ", ".join(str(c["instance_sets"][s]["options"]["degree"])
                                  for s in _sets(c, "sk_variant"))),
    Reading("lost", "System sizes of Fig. 4", "figures.md, MPVAN Fig. 4",
            lambda c: f"WPE N = {', '.join(map(str, _sizes(c, 'fig4a')))}; SK N = "
                      f"{', '.join(map(str, _sizes(c, 'fig4b')))}"),
    Reading("lost", "VCA size cut-off", "figures.md, MPVAN protocol",
            lambda c: f"N <= {max(_sizes(c, 'fig4a_vca'))}"),
    Reading("lost", "N of Fig. 1, Figs. S1-S3 and Tables 1-2", "figures.md, MPVAN Fig. 1",
            lambda c: f"largest WPE N of Fig. 4 ({max(_sizes(c, 'fig4a'))}); mechanisms at N = "
                      f"{', '.join(map(str, _sizes(c, 'mech')))}"),
    Reading("lost", "Fig. 6: N and alpha of the small WPE", "figures.md, MPVAN Fig. 6",
            lambda c: f"smallest WPE N of Fig. 4 ({min(_sizes(c, 'fig4a'))}), "
                      + _options(c, "wpe", ("alpha",))),
    Reading("lost", "Fig. 2b: the 4-node graph", "figures.md, MPVAN Fig. 2",
            lambda c: "a star graph, node 4 at the centre"),
    Reading("choice", "Runs per instance (paper: 30 WPE, 10 SK)", "figures.md, MPVAN protocol",
            lambda c: f"WPE {len(_protocols(c, 'fig4a'))}, SK {len(_protocols(c, 'fig4b'))}"),
    Reading("lost", "Table 3: batch size and steps timed", "figures.md, MPVAN Table 3",
            lambda c: "bench/mpvan.py: batch 128, median of 10 steps (not part of the DAG)"),
]

_READINGS = {"twobo": TWOBO, "h2arnn": H2ARNN, "mpvan": MPVAN}


def readings(paper: str) -> list[Reading]:
    """The readings of one paper (an empty list for a paper without any)."""
    return list(_READINGS.get(paper, []))


def resolve(paper: str, cfg: Config) -> list[tuple[str, str, str, str]]:
    """(tag, item, spec, value) of every reading; a value the config at this scale does not
    define reads "not configured at this scale" (e.g. a group the tiny scale leaves out)."""
    out = []
    for r in readings(paper):
        try:
            value = r.value(cfg)
        except (KeyError, IndexError, ValueError, TypeError):
            value = "not configured at this scale"
        out.append((r.tag, r.item, r.spec, value))
    return out


__all__ = ["Reading", "readings", "resolve"]
