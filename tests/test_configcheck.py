"""Config problems the schema cannot see are found before any job: one ConfigError whose
message starts with the key (arspin.configcheck)."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from arspin.configcheck import ConfigError, check

CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
TWOBO = "papers.twobo"


def test_the_shipped_config_passes_at_every_scale():
    check(CONFIG)


def _set(config: dict, path: str, value) -> dict:
    node = config
    *parents, last = path.split("/")
    for part in parents:
        node = node[part]
    node[last] = value
    return config


@pytest.mark.parametrize("path, value, key", [
    ("papers/twobo/scales/quick/protocols/anneal/betas", "-1:3:6",
     f"{TWOBO}.scales.quick.protocols.anneal.betas"),
    ("papers/twobo/scales/paper/runs/fig4/protocols", ["K4", "K999"],
     f"{TWOBO}.scales.paper.runs.fig4.protocols"),
    ("papers/twobo/scales/tiny/runs/fig2/nets", ["twobo", "mde"],
     f"{TWOBO}.scales.tiny.runs.fig2.nets"),
    ("papers/twobo/nets/made/hparams", {"dpth": 2}, f"{TWOBO}.nets.made.hparams"),
    ("papers/twobo/nets/made/hparams", {"depth": 0}, f"{TWOBO}.nets.made.hparams"),
    ("papers/twobo/nets/made/net", "mad", f"{TWOBO}.nets.made.net"),
    ("papers/mpvan/scales/quick/instances/wpe-a0.5", {"sizes": [8], "count": 1},
     "papers.mpvan.scales.quick.instances.wpe-a0.5"),
    ("instance_sets/sk/seed_rule", "twobo-reference", "instance_sets.sk.seed_rule"),
    ("instance_sets/rrg3/options", {"degree": "three"}, "instance_sets.rrg3.options"),
    ("papers/twobo/scales/quick/instances/ea2d-ref/sizes", [4, 5],
     f"{TWOBO}.scales.quick.instances.ea2d-ref"),
    ("papers/twobo/scales/quick/instances/ea2d-ref/count", 11,
     f"{TWOBO}.scales.quick.instances.ea2d-ref"),
    ("papers/twobo/scales/quick/runs/fig2/instances/ea2d-ref", [4, 16],
     f"{TWOBO}.scales.quick.runs.fig2.instances.ea2d-ref"),
    ("papers/twobo/scales/quick/fig3/size", 4 * 4, f"{TWOBO}.scales.quick.fig3"),
    ("papers/twobo/scales/paper/protocols/anneal/batch", 10**7,
     f"{TWOBO}.scales.paper.runs.fig2.protocols"),
])
def test_a_bad_value_names_its_key(path, value, key):
    config = _set(copy.deepcopy(CONFIG), path, value)
    with pytest.raises(ConfigError) as err:
        check(config)
    assert str(err.value).startswith(f"config: {key}: "), str(err.value)


def test_only_the_named_scales_are_checked():
    config = _set(copy.deepcopy(CONFIG), "papers/twobo/scales/paper/protocols/anneal/betas",
                  "3:1:x")
    check(config, scales=("quick",))
    with pytest.raises(ConfigError, match="scales.paper.protocols.anneal.betas"):
        check(config)
