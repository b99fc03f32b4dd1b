"""The design's own formats: YAML and JSON."""

from __future__ import annotations

from journeymap.designfile.writing import dump_json, dump_yaml
from journeymap.export import Format, register

register(Format("yaml", "yaml", "application/yaml", dump_yaml, "journeymap design (YAML)"))
register(Format("json", "json", "application/json", dump_json, "journeymap design (JSON)"))
