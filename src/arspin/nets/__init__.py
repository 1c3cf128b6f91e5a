"""Autoregressive nets over Ising spins, one module per family, one interface (base.py)."""
