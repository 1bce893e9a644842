"""Journal profiles (one YAML file each) and their loader; see profile.py."""

from .profile import (
    AbstractHeading,
    Declaration,
    JournalProfile,
    ProfileError,
    Section,
    load_profile,
    parse_profile,
    shipped_profiles,
)

__all__ = ["AbstractHeading", "Declaration", "JournalProfile", "ProfileError", "Section",
           "load_profile", "parse_profile", "shipped_profiles"]
