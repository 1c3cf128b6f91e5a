"""Typed options of a figure or an aggregation, declared next to the code that uses them.

A declaration maps each option to ``(type, default, help)``; type is one of int, float, str,
bool, tuple (of floats) or dict (a JSON object). Options come from the command line as
``-o KEY=VALUE`` text (figures) or as one JSON object (aggregation, written by the workflow);
both are checked here, so a typo fails with the option's name and the known ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from arspin.errors import ArspinError

OptionSpec = Mapping[str, tuple[type, Any, str]]


def known(spec: OptionSpec) -> str:
    return ", ".join(f"{k} ({h})" for k, (_, _, h) in spec.items()) or "none"


def _typed(spec: OptionSpec, key: str, value: Any, where: str) -> Any:
    kind = spec[key][0]
    bad = ArspinError(f"{where} '{key}': {value!r} is not a valid {kind.__name__}")
    if kind is tuple:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple):
            raise bad
        try:
            return tuple(float(v) for v in value)
        except (TypeError, ValueError):
            raise bad from None
    if kind is dict:
        if not isinstance(value, dict):
            raise bad
        return value
    if kind is bool:
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        if not isinstance(value, bool):
            raise bad
        return value
    if isinstance(value, bool) and kind is not str:
        raise bad
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise bad from None


def resolve(spec: OptionSpec, given: Mapping[str, Any], where: str = "option") -> dict:
    """Every option of ``spec``: the given values type-checked, defaults for the rest."""
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise ArspinError(f"{where}: unknown {', '.join(map(repr, unknown))}; "
                          f"known: {known(spec)}")
    out = {k: default for k, (_, default, _) in spec.items()}
    out.update({k: _typed(spec, k, v, where) for k, v in given.items()})
    return out


def from_pairs(spec: OptionSpec, pairs: Sequence[str], flag: str = "--option") -> dict:
    """``KEY=VALUE`` strings (repeatable -o flags) -> the given options, typed."""
    given = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in spec:
            raise ArspinError(f"{flag} '{pair}': expected KEY=VALUE with KEY one of: "
                              f"{known(spec)}")
        given[key] = _typed(spec, key, value, flag)
    return given


def from_json(spec: OptionSpec, text: str, flag: str = "--options") -> dict:
    """A JSON object of options -> every option, typed, defaults filled in."""
    try:
        given = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArspinError(f"{flag}: not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(given, dict):
        raise ArspinError(f"{flag}: expected a JSON object, got {type(given).__name__}")
    return resolve(spec, given, flag)
