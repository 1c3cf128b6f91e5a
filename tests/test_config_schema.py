"""config.yaml, its JSON schema and docs/config.md agree (PyPSA-style sync test)."""

from __future__ import annotations

import jsonschema
import yaml
from conftest import ROOT

from arspin.configdoc import render, rows

SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text())
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())


def test_config_validates():
    jsonschema.validate(CONFIG, SCHEMA)


def test_every_schema_key_has_a_description():
    for key, _kind, _default, description in rows(SCHEMA, SCHEMA):
        assert description.strip(), f"schema key {key} has no description"


def test_every_config_key_is_in_the_schema_and_explicit():
    documented = {key for key, *_ in rows(SCHEMA, SCHEMA)}
    for top in SCHEMA["properties"]:
        assert top in CONFIG, f"config.yaml does not set {top} explicitly"
    for name in CONFIG["instance_sets"]:
        assert "instance_sets.<name>.family" in documented, name


def test_docs_config_is_up_to_date():
    assert (ROOT / "docs/config.md").read_text() == render(ROOT / "workflow/schemas/config.schema.yaml"), \
        "run: python -m arspin.configdoc > docs/config.md"
