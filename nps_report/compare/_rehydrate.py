"""results.json dicts back into the Results dataclasses the formatting functions take.

Only the fields those functions read are restored (a KM curve is not in results.json
and is left empty), so the catalogue can format an old build exactly as it was printed.
"""

from __future__ import annotations

from typing import Any

from ..results import (
    BaselineVariable,
    Curve,
    Distribution,
    Landmark,
    LevelCount,
    Proportion,
    SurvivalSummary,
)

_EMPTY_CURVE = Curve((), (), (), (), (), ())


def proportion(d: dict[str, Any]) -> Proportion:
    return Proportion(d["n"], d["N"], d.get("estimate"), d.get("ci_low"), d.get("ci_high"),
                      d.get("method", ""), d.get("level", 0.95))


def survival(d: dict[str, Any]) -> SurvivalSummary:
    landmarks = tuple(
        Landmark(float(k), v.get("estimate"), v.get("ci_low"), v.get("ci_high"),
                 v.get("n_at_risk"))
        for k, v in sorted(d.get("landmarks", {}).items(), key=lambda kv: float(kv[0])))
    at_risk = tuple((float(a["months"]), int(a["n"])) for a in d.get("at_risk", []))
    endpoint = {"Progression-free survival": "pfs", "Overall survival": "os",
                "Duration of response": "dor"}.get(d.get("label", ""), d.get("endpoint", "km"))
    return SurvivalSummary(endpoint, d.get("label", ""), d["n"], d["n_events"],
                           d.get("n_censored", d["n"] - d["n_events"]), d.get("median"),
                           d.get("ci_low"), d.get("ci_high"), d.get("method", ""),
                           d.get("level", 0.95), landmarks, at_risk, _EMPTY_CURVE, 0.0)


def _distribution(d: dict[str, Any] | None) -> Distribution | None:
    return None if d is None else Distribution(**d)


def baseline_variable(d: dict[str, Any]) -> BaselineVariable:
    return BaselineVariable(d["label"], d["type"], d["N"], _distribution(d.get("summary")),
                            tuple(LevelCount(lv["label"], lv["n"], lv.get("pct"))
                                  for lv in d.get("levels", [])), d.get("n_missing", 0))
