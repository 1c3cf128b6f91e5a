"""The H2ARNN paper's own SK instances (seed rule h2arnn-reference), regenerated exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest

from arspin.errors import ArspinError
from arspin.instances import generate


def _paper_loop(n: int, seed: int) -> np.ndarray:
    """The paper's recipe as written: np.random.seed(s), then J[i, j] for i, j < i in order."""
    state = np.random.RandomState(seed)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(i):
            J[i, j] = state.normal(0, 1 / np.sqrt(n))
    return J


def test_paper_fingerprint_and_recipe():
    model = generate("sk", 100, 1, seed_rule="h2arnn-reference")
    dense = model.coupling_matrix.toarray()
    assert dense[1, 0] == pytest.approx(0.162435, abs=5e-7)   # the check value
    for n, seed in ((30, 4), (12, 10)):
        expected = _paper_loop(n, seed)
        got = generate("sk", n, seed, seed_rule="h2arnn-reference").coupling_matrix.toarray()
        np.testing.assert_array_equal(np.tril(got, -1), expected)
        np.testing.assert_array_equal(got, got.T)
    assert model.meta["seed"] == 1 and model.meta["seed_rule"] == "h2arnn-reference"
    assert not np.any(model.h)
    other = generate("sk", 30, 4).coupling_matrix.toarray()    # the default rule differs
    assert not np.allclose(other, generate("sk", 30, 4, seed_rule="h2arnn-reference")
                           .coupling_matrix.toarray())


def test_seed_rule_is_sk_only(cli, tmp_path):
    with pytest.raises(ArspinError, match="supports"):
        generate("rrg", 8, 1, seed_rule="h2arnn-reference")
    out = tmp_path / "sk.h5"
    proc = cli("instance", "generate", "--family", "sk", "--size", "20", "--index", "3",
               "--seed-rule", "h2arnn-reference", "--out", out)
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(cli("show", out, "--json", check=True).stdout)
    assert shown["parameters"]["seed_rule"] == "h2arnn-reference"
