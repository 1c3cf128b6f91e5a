"""Markov-chain samplers of the Boltzmann distribution (reference samples, not training)."""
