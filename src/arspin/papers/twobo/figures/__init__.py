"""The TwoBo paper's figures, one module each (see arspin.figures)."""
