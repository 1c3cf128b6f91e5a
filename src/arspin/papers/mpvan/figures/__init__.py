"""The MPVAN paper's figures, one module each."""
