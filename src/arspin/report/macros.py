"""LaTeX macros for the numbers the pipeline measured: names, escaping, formatting, files.

In the spirit of showyourwork's variables: the report's text never types a number; it uses a
macro that a generated file defines (``\\newcommand``, so that a name defined twice, or one
that clashes with a LaTeX command, stops the build instead of silently changing the text).

    macro_name("mpvan", "fig4-beats-van", "z") -> "MpvanFigFourBeatsVanZ" (letters only)
    latex_escape("a_b & 5%")                   -> "a\\_b \\& 5\\%"
    format_number(0.001234)                    -> "\\ensuremath{1.23\\times10^{-3}}"
    write_macros(path, {name: latex}, header)  -> the .tex file, written atomically
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from numbers import Integral, Real
from typing import Any

DIGITS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
NAME = re.compile(r"[A-Za-z]+\Z")

# TeX's special characters in text mode, and the few non-ASCII symbols that reach a statement
_ESCAPES = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\ensuremath{<}", ">": r"\ensuremath{>}", "|": r"\ensuremath{|}",
    "\u2264": r"\ensuremath{\le}", "\u2265": r"\ensuremath{\ge}", "\u00b1": r"\ensuremath{\pm}",
    "\u00d7": r"\ensuremath{\times}", "\u2212": r"\ensuremath{-}", "\u2248": r"\ensuremath{\approx}",
    "\u2192": r"\ensuremath{\to}", "\u03b2": r"\ensuremath{\beta}", "\u03b1": r"\ensuremath{\alpha}",
    "\u03b5": r"\ensuremath{\varepsilon}", "\u2013": "--", "\u2014": "---",
}


def macro_name(*parts: Any) -> str:
    """A LaTeX command name made of letters only: each alphabetic run capitalised, each digit
    spelled out ("ea2d" -> "EaTwoD", "10" -> "OneZero"); separators dropped.

    Raises:
        ValueError: if the parts hold no letter or digit.
    """
    words = []
    for part in parts:
        for token in re.findall(r"[A-Za-z]+|[0-9]", str(part)):
            words.append(DIGITS[int(token)] if token.isdigit() else token[0].upper() + token[1:])
    name = "".join(words)
    if not name:
        raise ValueError(f"no letters or digits in macro name parts {parts!r}")
    return name


def latex_escape(text: str) -> str:
    """``text`` as LaTeX that typesets it literally (special characters escaped; any other
    non-ASCII character outside Latin-1 is refused, since pdflatex could not set it)."""
    out = []
    for char in str(text):
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) > 255:
            raise ValueError(f"character {char!r} (U+{ord(char):04X}) has no LaTeX form here; "
                             "add it to arspin.report.macros._ESCAPES")
        else:
            out.append(char)
    return "".join(out)


def format_number(value: Any, digits: int = 3) -> str:
    """A number as LaTeX: ints exact with thin-space-free thousands groups ("63{,}549"),
    floats to ``digits`` significant digits, in scientific form outside [1e-3, 1e5);
    None or a non-finite float as "n/a"; booleans as "yes"/"no"; strings escaped."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Integral):
        return r"\ensuremath{" + f"{int(value):,}".replace(",", "{,}") + "}"
    if isinstance(value, Real):
        x = float(value)
        if not math.isfinite(x):
            return "n/a"
        if x == 0.0:
            return r"\ensuremath{0}"
        mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
        power = int(exponent)
        if -3 <= power < 5:
            rounded = float(f"{mantissa}e{exponent}")
            return r"\ensuremath{" + f"{rounded:.{max(digits - 1 - power, 0)}f}" + "}"
        return r"\ensuremath{" + f"{mantissa}\\times10^{{{power}}}" + "}"
    return latex_escape(str(value))


def format_value(value: Any, digits: int = 3, max_items: int = 6) -> str:
    """Any JSON value as short LaTeX: numbers as format_number, lists as "a, b, c" (at most
    ``max_items``, then "..."), dicts as "key: value" pairs."""
    if isinstance(value, list | tuple):
        items = [format_value(v, digits, max_items) for v in value[:max_items]]
        return "[" + ", ".join(items + (["\\dots"] if len(value) > max_items else [])) + "]"
    if isinstance(value, dict):
        return "; ".join(f"{latex_escape(k)}: {format_value(v, digits, max_items)}"
                         for k, v in value.items())
    return format_number(value, digits)


def check_macros(macros: Mapping[str, str]) -> None:
    """Every name letters only; every value with balanced braces (a stray brace would break
    every macro after it).

    Raises:
        ValueError: naming the first bad macro.
    """
    for name, value in macros.items():
        if not NAME.match(name):
            raise ValueError(f"macro name {name!r} is not letters only")
        depth = 0
        for i, char in enumerate(value):
            if char in "{}" and (i == 0 or value[i - 1] != "\\"):
                depth += 1 if char == "{" else -1
                if depth < 0:
                    break
        if depth != 0:
            raise ValueError(f"macro \\{name}: unbalanced braces in {value!r}")


def render_macros(macros: Mapping[str, str], header: str) -> str:
    """The text of a generated macros file: a comment header, one \\newcommand per line."""
    check_macros(macros)
    lines = [f"% {line}".rstrip() for line in header.splitlines()]
    lines.append("% generated by `arspin report-tex`; do not edit (rebuilt by the workflow)")
    lines += [f"\\newcommand{{\\{name}}}{{{value}}}" for name, value in macros.items()]
    return "\n".join(lines) + "\n"


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` atomically (arspin.io.atomic_write)."""
    from arspin.io import atomic_write

    with atomic_write(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (arspin.io.atomic_write)."""
    from arspin.io import atomic_write

    with atomic_write(path) as tmp:
        tmp.write_bytes(data)


def write_macros(path: str | os.PathLike, macros: Mapping[str, str], header: str) -> None:
    """Write a generated macros file atomically (see render_macros)."""
    write_text(path, render_macros(macros, header))


class MacroSet:
    """Macros collected in order, each name once.

    ``add(value, *parts)`` formats ``value`` (format_number, or as given when ``raw``) under
    ``macro_name(prefix, *parts)`` and returns the name; a second macro of the same name is
    an error, so two different quantities can never share one.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.macros: dict[str, str] = {}

    def add(self, value: Any, *parts: Any, raw: bool = False, digits: int = 3) -> str:
        name = macro_name(self.prefix, *parts)
        if name in self.macros:
            raise ValueError(f"macro \\{name} defined twice (parts {parts!r})")
        self.macros[name] = str(value) if raw else format_value(value, digits)
        return name


__all__ = ["MacroSet", "check_macros", "format_number", "format_value", "latex_escape",
           "macro_name", "render_macros", "write_bytes", "write_macros", "write_text"]
