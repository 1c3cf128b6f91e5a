"""Checks of config.yaml beyond its JSON schema, run when the DAG is built (before any job).

The schema checks types and ranges key by key; what it cannot see is found here, so that a
bad config fails at once with one line naming the key, instead of inside a job as a command-line
flag (issue: "config errors found late"):
- every beta grid parses and has finite betas > 0;
- every net label has a known net family whose hyperparameters pass the net's validator;
- every run group names defined nets, protocols and instance sets, at sizes the scale requests;
- every instance set a paper requests exists, with options its family accepts, a seed rule it
  supports, and (for the TwoBo reference lattices) sizes and indices the reference set has;
- TwoBo's Fig. 3 panel names an instance set and size that Fig. 2 runs;
- a training batch stays within a stated memory limit (``MAX_TRAIN_FLOATS`` spins per batch).
"""

from __future__ import annotations

from collections.abc import Iterator

from arspin.errors import ArspinError

#: batch x N above this is refused (about 4 GB of float32 activations per layer of N)
MAX_TRAIN_FLOATS = 1 << 30
LATTICE_DIM = {"ea2d": 2, "ea3d": 3}


class ConfigError(ArspinError):
    """A config value that cannot work; the message starts with its key path."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"config: {key}: {problem} (see docs/config.md)")


def _scales(config: dict) -> Iterator[tuple[str, str, dict, dict]]:
    for paper, block in config.get("papers", {}).items():
        for scale, sblock in block.get("scales", {}).items():
            yield paper, scale, block, sblock


def check(config: dict, scales: tuple[str, ...] | None = None) -> None:
    """Raise ConfigError on the first problem of ``config`` (already schema-valid).

    Args:
        scales: the scales to check (default: every scale, so a paper-scale typo is found
            while a user runs the quick one).
    """
    from arspin.betas import parse_betas
    from arspin.nets.registry import NETS, resolve_hparams

    sets = config.get("instance_sets", {})
    _check_sets(sets)
    for paper, block in config.get("papers", {}).items():
        for label, entry in block.get("nets", {}).items():
            key = f"papers.{paper}.nets.{label}"
            for field in ("net", "net_off_lattice"):
                family = entry.get(field)
                if family is not None and family not in NETS:
                    raise ConfigError(f"{key}.{field}", f"unknown net {family!r}; known: "
                                      f"{', '.join(sorted(NETS))}")
            try:
                resolve_hparams(entry["net"], entry.get("hparams", {}))
            except ArspinError as exc:
                raise ConfigError(f"{key}.hparams", str(exc)) from None
    for paper, scale, block, sblock in _scales(config):
        if scales is not None and scale not in scales:
            continue
        key = f"papers.{paper}.scales.{scale}"
        requests = sblock.get("instances", {})
        for name, request in requests.items():
            if name not in sets:
                raise ConfigError(f"{key}.instances.{name}", "not an instance set of "
                                  f"instance_sets ({', '.join(sorted(sets))})")
            _check_request(f"{key}.instances.{name}", sets[name], request)
        for pname, protocol in sblock.get("protocols", {}).items():
            try:
                parse_betas(protocol["betas"])
            except ArspinError as exc:
                raise ConfigError(f"{key}.protocols.{pname}.betas",
                                  str(exc).replace("--betas ", "")) from None
        _check_runs(key, block, sblock, sets)
        fig3 = sblock.get("fig3")
        if fig3 is not None:
            fig2 = sblock.get("runs", {}).get("fig2", {}).get("instances", {})
            if fig3["size"] not in fig2.get(fig3["instance_set"], []):
                raise ConfigError(f"{key}.fig3", f"Fig. 3 reads Fig. 2's runs, which have no "
                                  f"{fig3['instance_set']} size {fig3['size']}")


def _check_sets(sets: dict) -> None:
    from arspin.instances.registry import FAMILIES, validate_options

    for name, spec in sets.items():
        family = FAMILIES[spec["family"]]           # the schema restricts family names
        rule = spec.get("seed_rule", "default")
        if rule not in family["seed_rules"]:
            raise ConfigError(f"instance_sets.{name}.seed_rule", f"family {spec['family']} "
                              f"supports {family['seed_rules']}, not {rule!r}")
        try:
            validate_options(spec["family"], spec.get("options", {}))
        except ArspinError as exc:
            raise ConfigError(f"instance_sets.{name}.options", str(exc)) from None


def _check_request(key: str, spec: dict, request: dict) -> None:
    """Sizes and indices the set's seed rule can produce (the TwoBo reference lattices)."""
    if spec.get("seed_rule") != "twobo-reference" or spec["family"] not in LATTICE_DIM:
        return
    from arspin.instances.lattice import twobo_reference_position

    first = request.get("first_index", 0)
    for size in request["sizes"]:
        for index in (first, first + request["count"] - 1):
            try:
                twobo_reference_position(size, LATTICE_DIM[spec["family"]], index)
            except ArspinError as exc:
                raise ConfigError(key, str(exc)) from None


def _check_runs(key: str, block: dict, sblock: dict, sets: dict) -> None:
    nets, protocols = block.get("nets", {}), sblock.get("protocols", {})
    requests = sblock.get("instances", {})
    for group, runs in sblock.get("runs", {}).items():
        where = f"{key}.runs.{group}"
        for label in runs["nets"]:
            if label not in nets:
                raise ConfigError(f"{where}.nets", f"net label {label!r} is not defined in "
                                  f"the paper's nets ({', '.join(sorted(nets))})")
        for name in runs["protocols"]:
            if name not in protocols:
                raise ConfigError(f"{where}.protocols", f"protocol {name!r} is not defined in "
                                  f"{key}.protocols ({', '.join(sorted(protocols))})")
        for name, sizes in runs["instances"].items():
            requested = requests.get(name, {}).get("sizes", [])
            missing = [s for s in sizes if s not in requested]
            if missing:
                raise ConfigError(f"{where}.instances.{name}", f"sizes {missing} are not "
                                  f"requested in {key}.instances.{name}")
            batch = max((protocols[p]["batch"] for p in runs["protocols"]), default=0)
            for size in sizes:
                n = size ** LATTICE_DIM.get(sets[name]["family"], 1)
                if batch * n > MAX_TRAIN_FLOATS:
                    raise ConfigError(f"{where}.protocols", f"batch {batch} x N {n} = "
                                      f"{batch * n:,} spins per step is above the limit "
                                      f"{MAX_TRAIN_FLOATS:,} (arspin.configcheck)")
