"""A run's final net, rebuilt from its file: the family and hyperparameters it records and
the parameters it stored at its last beta; fresh samples of it (any paper's aggregation).
"""

from __future__ import annotations

import json

import numpy as np

from arspin import io


def final_net(rec: io.Record, model):
    """(net, params): the run's net rebuilt from its family and hyperparameters, with its
    stored final parameters (those of its last beta)."""
    import jax

    from arspin import jaxsetup

    jaxsetup.configure()
    from arspin.checkpoint import restore_tree
    from arspin.nets.registry import build_net

    hyper = json.loads(rec.attrs["hyperparameters"])
    net = build_net(str(rec.attrs["net"]), model, hyper["net"])
    template = net.init(jax.random.key(0))             # structure, shapes and dtypes only
    params = restore_tree(rec.data, "checkpoint/params", json.loads(rec.attrs["params_paths"]),
                          template, str(rec.path))
    return net, params


def sample_final_net(rec: io.Record, model, samples: int, seed: int,
                     with_log_q: bool = False):
    """int8 (samples, N): ancestral samples of the run's stored final parameters at its last
    beta (and their float64 ln q (samples,) when ``with_log_q``)."""
    import jax

    net, params = final_net(rec, model)
    beta = np.float32(rec.data["beta"][-1])
    x, log_q = jax.jit(net.sample, static_argnums=2)(params, jax.random.key(seed), samples,
                                                     beta)
    x = np.asarray(x, dtype=np.int8)
    return (x, np.asarray(log_q, np.float64)) if with_log_q else x

