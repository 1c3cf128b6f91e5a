"""Render the workflow's config JSON schema as a Markdown table (docs/config.md).

Usage: python -m arspin.configdoc workflow/schemas/config.schema.yaml > docs/config.md
A test checks that docs/config.md is up to date and that every key has a description.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        target = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def rows(node: dict, root: dict, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key path, type, default, description) for every documented key, depth first."""
    node = _resolve(node, root)
    out = []
    for part in node.get("allOf", []):  # a block made of shared parts (the paper scales)
        out += rows(part, root, prefix)
    props = node.get("properties", {})
    refs = {child.get("$ref") for child in props.values()}
    if len(props) > 1 and len(refs) == 1 and None not in refs:
        # several keys sharing one definition (the scales): document it once
        props = {"{" + ",".join(props) + "}": {"$ref": refs.pop()}}
    for name, child in props.items():
        child = _resolve(child, root)
        key = f"{prefix}{name}"
        kind = child.get("type", "")
        if "enum" in child:
            kind += " (" + " \\| ".join(map(str, child["enum"])) + ")"
        default = child.get("default", "")
        out.append((key, kind, "" if default == "" else f"`{default}`", child.get("description", "")))
        out += rows(child, root, key + ".")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out += rows(extra, root, prefix + "<name>.")
    return out


def render(schema_path: str | Path) -> str:
    schema = yaml.safe_load(Path(schema_path).read_text())
    lines = [
        "# Configuration keys",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` by `python -m arspin.configdoc`;",
        "do not edit by hand. `config.yaml` sets every key explicitly.",
        "",
        schema.get("description", "").strip(),
        "",
        "| key | type | default | description |",
        "| --- | --- | --- | --- |",
    ]
    for key, kind, default, description in rows(schema, schema):
        lines.append(f"| `{key}` | {kind} | {default} | {' '.join(description.split())} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(sys.argv[1] if len(sys.argv) > 1 else "workflow/schemas/config.schema.yaml"))
