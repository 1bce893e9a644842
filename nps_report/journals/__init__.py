"""Journal profiles (one YAML file each): the model in profile.py, the loader in loader.py."""

from .loader import ProfileError, load_profile, parse_profile, shipped_profiles, study_profile
from .profile import AbstractHeading, Declaration, JournalProfile, Section

__all__ = ["AbstractHeading", "Declaration", "JournalProfile", "ProfileError", "Section",
           "load_profile", "parse_profile", "shipped_profiles", "study_profile"]
