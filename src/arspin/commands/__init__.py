"""One module per `arspin` subcommand; each exposes register(subparsers)."""
