"""Reading a study folder: raw tables, validation, and the typed Study handed to derivation."""

from .load import RawTables, read_tables
from .study import Study, load_study

__all__ = ["RawTables", "Study", "load_study", "read_tables"]
