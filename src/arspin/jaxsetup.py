"""JAX process setup shared by every entry point that runs a net.

float64 is enabled so that energies and exact references can be computed in double
precision inside jitted code; nets create their parameters and activations in float32
explicitly. The persistent compilation cache makes the many small jobs of the DAG pay
the XLA compile cost once per shape instead of once per job.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "arspin" / "jax"


def configure(cache_dir: str | os.PathLike | None = None) -> None:
    """Enable float64 and the persistent compilation cache (idempotent).

    The cache folder is ``$JAX_COMPILATION_CACHE_DIR`` if set, else ``cache_dir``, else
    ``~/.cache/arspin/jax``; ``ARSPIN_JAX_CACHE=0`` turns it off (used to measure its effect).
    """
    jax.config.update("jax_enable_x64", True)
    if os.environ.get("ARSPIN_JAX_CACHE", "1") == "0":
        return
    path = os.environ.get("JAX_COMPILATION_CACHE_DIR") or cache_dir or DEFAULT_CACHE
    Path(path).mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(path))
    # cache every compiled program, however small or quick to compile
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
