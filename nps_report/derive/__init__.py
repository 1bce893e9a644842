"""Per-patient endpoints from validated tables: RECIST 1.1 responses, PFS, OS, exposure."""

from .endpoints import DAYS_PER_MONTH, derive_endpoints
from .recist import best_overall_response, timepoint_responses

__all__ = ["DAYS_PER_MONTH", "best_overall_response", "derive_endpoints",
           "timepoint_responses"]
