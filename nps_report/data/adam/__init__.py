"""A CDISC ADaM source: the sponsor's data sets read as they are (`source:` in study.yaml)."""

from .study import load_adam_study

__all__ = ["load_adam_study"]
