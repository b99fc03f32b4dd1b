"""The template library: one design per YAML file, named `<id>.yaml`."""
