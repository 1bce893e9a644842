"""Cox regression of one endpoint: univariable and multivariable models side by side.

A categorical or yes/no factor is a group row and one row per level, its reference level
reading 'Reference'; a continuous factor is one row (HR per unit). n and events are the
patients of each level with a value of the factor and their events (the univariable
models' patients). A factor with more than one coefficient carries, on its own row, the
Wald test of all its levels together. A hazard ratio without a finite estimate is 'NE'
(the table's notes say why); multivariable cells of a factor outside that model stay
empty. Every cell is keyed by the Results value it prints.
"""

from __future__ import annotations

from ...results import CoxModel, EndpointPrognostic, FactorInfo, Results
from ...results.keys import Key
from ..artifact import TableArtifact
from ..factors import continuous_label, factor_label, level_label
from ..fmt import DEFAULT, Style, fmt_confidence
from ..formats import cell
from .spec import Row, TableSpec, content_widths

REFERENCE = "Reference"


def cox_pfs_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    return cox_table(results, "pfs", style)


def cox_os_table(results: Results, style: Style = DEFAULT) -> TableSpec:
    return cox_table(results, "os", style)


def cox_table(results: Results, endpoint: str, style: Style = DEFAULT) -> TableSpec:
    prognostic = results.prognostic
    ep = prognostic.endpoint(endpoint) if prognostic is not None else None
    if ep is None:
        raise ValueError(f"no prognostic results for {endpoint!r}")
    lvl = fmt_confidence(prognostic.methods.level)
    multi = ep.model("multivariable")
    header = ("Factor", "n", "Events", f"HR ({lvl} CI), univariable", "p")
    labels = ("Factor", "n", "Events", f"univariable HR ({lvl} CI)", "univariable p")
    if multi is not None:
        header += (f"HR ({lvl} CI), multivariable", "p")
        labels += (f"multivariable HR ({lvl} CI)", "multivariable p")
    rows: list[Row] = []
    for f in prognostic.factors:
        rows += _factor_rows(f, ep, multi, style)
    return TableSpec(f"cox_{endpoint}", header, tuple(rows), labels,
                     content_widths(header, tuple(rows)))


def _factor_rows(f: FactorInfo, ep: EndpointPrognostic, multi: CoxModel | None,
                 style: Style) -> list[Row]:
    base = Key.parse("prognostic").field(ep.endpoint)
    uni = {r.level: r for r in ep.univariable if r.factor == f.column}
    mrows = {r.level: r for r in ep.multivariable if r.factor == f.column}
    in_multi = multi is not None and f.column in multi.factors
    in_uni = bool(uni) or ep.model("univariable", f.column) is not None
    width = 7 if multi is not None else 5

    def estimate(table: str, row) -> tuple[tuple[str, str], tuple[Key | None, Key | None]]:
        key = base.field(table).item(row.name)
        text = cell("hr_ci", row, style=style)
        p = cell("p_value", row.p, style=style) if row.hr is not None else style.missing
        return (text, p), (key.printed("hr_ci"), key.field("p").printed("p"))

    def counts(at: Key, of) -> tuple[tuple[str, str], tuple[Key, Key]]:  # n and events
        return ((cell("count", of.n, style=style), cell("count", of.n_events, style=style)),
                (at.field("n").printed("count"), at.field("n_events").printed("count")))

    if f.kind == "continuous":
        u = uni.get(None)
        cells: list[str] = [continuous_label(f), "", ""]
        keys: list[Key | None] = [None, None, None]
        if u is not None:
            cells[1:3], keys[1:3] = counts(base.field("univariable").item(u.name), u)
        models = (("univariable", u), ("multivariable", mrows.get(None)))
        for table, row in models[:2 if multi is not None else 1]:
            (text, p), (kt, kp) = estimate(table, row) if row is not None else \
                (("", ""), (None, None))
            cells += [text, p]
            keys += [kt, kp]
        return [Row(tuple(cells), "plain", tuple(keys))]

    group = [factor_label(f)] + [""] * (width - 1)
    group_keys: list[Key | None] = [None] * width
    for col, model in ((4, ep.model("univariable", f.column)), (6, multi)):
        if col >= width or model is None or f.column not in model.factors:
            continue
        term = next((t for t in model.wald if t.term == f.column), None)
        if term is not None and term.df > 1:  # several coefficients: their joint test
            group[col] = cell("p_value", term.p, style=style)
            group_keys[col] = (base.field("models").item(model.name).field("wald")
                               .item(f.column).field("p").printed("p"))
    rows = [Row(tuple(group), "group", tuple(group_keys))]
    curve = ep.curve(f.column)
    for i, level in enumerate(f.levels):
        cells = [level_label(f, level), "", ""]
        keys = [None, None, None]
        if curve is not None:
            cells[1:3], keys[1:3] = counts(base.field("curves").item(f.column).field("levels")
                                           .item(level), curve.level(level))
        for table, found, present in (("univariable", uni, in_uni),
                                      ("multivariable", mrows, in_multi)):
            if table == "multivariable" and multi is None:
                break
            if not present:
                cells += ["", ""]
                keys += [None, None]
            elif i == 0:
                cells += [REFERENCE, ""]
                keys += [None, None]
            elif level in found:
                (text, p), (kt, kp) = estimate(table, found[level])
                cells += [text, p]
                keys += [kt, kp]
            else:  # a level without patients in the model: no coefficient at all
                cells += [style.not_estimable, style.missing]
                keys += [None, None]
        rows.append(Row(tuple(cells), "item", tuple(keys)))
    return rows


def has_pfs_models(results: Results) -> bool:
    return results.prognostic is not None and results.prognostic.pfs is not None


def has_os_models(results: Results) -> bool:
    return results.prognostic is not None and results.prognostic.os is not None


# With `prognostic` in study.yaml
PFS = TableArtifact("cox_pfs", "tables/cox_pfs.md.j2", cox_pfs_table,
                    reads=("prognostic.pfs", "prognostic.factors", "prognostic.methods.level"),
                    applies=has_pfs_models, section="Prognostic factors",
                    name="Cox regression, PFS")
OS = TableArtifact("cox_os", "tables/cox_os.md.j2", cox_os_table,
                   reads=("prognostic.os", "prognostic.factors", "prognostic.methods.level"),
                   applies=has_os_models, section="Prognostic factors", name="Cox regression, OS")
