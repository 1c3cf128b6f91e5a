"""arspin: autoregressive neural networks for Ising spin systems."""

__version__ = "0.1.0"
