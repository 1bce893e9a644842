"""Figure: the patient-flow diagram (CONSORT style), from screening to the analyses, with
each step's losses and their reasons (drawn in figures/flow.py). Shown with study.yaml
`flow:` or a screening.csv."""

from __future__ import annotations

from dataclasses import dataclass

from ...config import FigureConfig
from ...results import NOT_RECORDED, Flow, Results
from ...results.keys import Key
from ..artifact import FigureArtifact, Panel
from ..fmt import fmt_int

FLOW = Key.parse("flow")


@dataclass(frozen=True)
class FlowStep:
    """A box of the diagram's main column, and the box to its right (its losses)."""

    main: tuple[str, ...]
    side: tuple[str, ...] = ()


def _n(n: int) -> str:
    return f"(n\u00a0=\u00a0{fmt_int(n)})"  # no break inside: the diagram wraps at spaces


def flow_steps(results: Results) -> tuple[FlowStep, ...]:
    """The diagram's boxes, top to bottom, in words; the numbers are Results.flow's."""
    f: Flow | None = results.flow
    if f is None:
        return ()
    excluded = (f"Excluded {_n(f.n_excluded)}", *(f"• {r.reason} {_n(r.n)}" for r in f.excluded))
    reasons = tuple(f"• {r.reason} {_n(r.n)}" for r in f.discontinued
                    if r.reason != NOT_RECORDED or len(f.discontinued) > 1)
    status = (f"On treatment at the data cutoff {_n(f.on_treatment)}",
              *((f"Discontinued treatment {_n(f.n_discontinued)}"
                 f"{'' if reasons else ', reasons not recorded'}", *reasons)
                if f.n_discontinued else ()))
    unevaluable = f.evaluable_safety - f.evaluable_response
    return (
        FlowStep((f"Patients screened {_n(f.screened)}",), excluded if f.n_excluded else ()),
        FlowStep((f"Treated with {results.study.drug} {_n(f.treated)}",), status),
        FlowStep((f"Evaluable for safety {_n(f.evaluable_safety)}",),
                 (f"No post-baseline tumor assessment {_n(unevaluable)}",)
                 if unevaluable else ()),
        FlowStep((f"Evaluable for response {_n(f.evaluable_response)}",)),
    )


def flow_printed(results: Results, panel: Panel) -> dict[Key, tuple[str, str]]:
    """The reasons' counts the diagram prints (its other numbers are reported by the text)."""
    f = results.flow
    if f is None:
        return {}
    out = {}
    for part, what in (("excluded", "excluded before treatment"),
                       ("discontinued", "discontinued treatment")):
        for r in getattr(f, part):
            out[FLOW.field(part).item(r.reason).field("n")] = (
                f"Patients {what}: {r.reason}, n", fmt_int(r.n))
    return out


PANEL = Panel("flow", "nps_report.figures.flow:flow_figure",
              reads=("flow", "study.drug"), printed=flow_printed)


def flow_panels(results: Results, _config: FigureConfig) -> tuple[Panel, ...]:
    return (PANEL,) if results.flow is not None else ()


FIGURE = FigureArtifact("flow", "figures/flow.md.j2", flow_panels,
                        section="Patients and baseline characteristics")
