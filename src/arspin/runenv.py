"""How a workflow job's shell finds the `arspin` command (standard library only: the Snakefile
imports it).

Without a software deployment method the rules run the `arspin` entry point of the Python that
runs Snakemake (the project's .venv, scripts/setup.sh): its bin folder is appended to PATH.
With ``--software-deployment-method conda`` each job runs in the env built from
envs/arspin.yaml, which holds the pinned dependencies and not the package (a path to the
package inside that file would resolve under .snakemake/conda/, where Snakemake copies it):
`arspin` is then ``python -m arspin`` of the env's Python, on this workflow's own source tree.
"""

from __future__ import annotations

import shlex


def shell_prefix(src_dir: str, venv_bin: str, conda: bool) -> str:
    """The text Snakemake prepends to every rule's shell command."""
    if conda:
        src = shlex.quote(src_dir)
        return (f'export PYTHONPATH={src}"${{PYTHONPATH:+:$PYTHONPATH}}"; '
                'arspin() { python -m arspin "$@"; }; ')
    return f'export PATH="$PATH:"{shlex.quote(venv_bin)}; '
