"""Errors a user can cause (bad file, bad option): the CLI prints them as one line, exit 2."""


class ArspinError(Exception):
    """A problem with the user's input; the message names the file and the field."""
