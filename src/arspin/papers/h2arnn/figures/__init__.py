"""The H2ARNN paper\x27s figures, one module each."""
