#!/usr/bin/env bash
# Debian's TeX packages for the report (paper/arspin.pdf): latexmk and the LaTeX base and
# recommended collections (pdflatex, graphicx, booktabs, longtable, xcolor, hyperref,
# geometry). Idempotent: nothing to do when latexmk and pdflatex are already on the PATH.
# Measured on Debian 12 (2026-12-05): 48 MB of archives, 152 MB on disk, about 30 s.
# Usage: bash scripts/setup-tex.sh   (as root, or with sudo available; Debian / Ubuntu)
set -euo pipefail
PACKAGES="latexmk texlive-latex-base texlive-latex-recommended"
if command -v latexmk >/dev/null && command -v pdflatex >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup-tex: no apt-get here; install latexmk and a LaTeX with graphicx, booktabs," \
       "longtable, xcolor, hyperref and geometry (Debian: $PACKAGES)" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup-tex: run as root (apt-get install $PACKAGES)" >&2; exit 1; }
  SUDO=sudo
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
