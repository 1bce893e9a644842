"""What pyproject.toml cannot say: the top-level templates/ and data/ folders go into the wheel.

The design keeps templates/ and the reference study (data/) at the top of the checkout;
an installed package has no checkout, so the wheel carries them as
nps_report/_shipped/templates and nps_report/_shipped/data (nps_report/paths.py looks
there first, then in the checkout). Packages are found rather than listed, so a new
subpackage, template folder or study file cannot be left out of the wheel.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

SHIPPED = ("templates", "data")


def shipped_packages(folder: str) -> dict[str, str]:
    """{package name: folder} for folder and every folder below it (setuptools ships data
    files per package, so each folder must be one)."""
    top = Path(folder)
    dirs = [top, *sorted(p for p in top.rglob("*") if p.is_dir() and p.name != "__pycache__")]
    return {".".join(("nps_report._shipped", folder, *d.relative_to(top).parts)): d.as_posix()
            for d in dirs}


mapped = {name: path for folder in SHIPPED for name, path in shipped_packages(folder).items()}
setup(
    # namespace search: nps_report/fonts (no __init__.py) is a package whose files ship too
    packages=[*find_namespace_packages(include=["nps_report", "nps_report.*"],
                                       exclude=["*.__pycache__"]), *mapped],
    package_dir={f"nps_report._shipped.{folder}": folder for folder in SHIPPED},
    package_data={"nps_report.fonts": ["*"], "nps_report.journals": ["*.yaml"],
                  "nps_report.checklists": ["*.yaml"], "nps_report.present": ["*.tsv"],
                  "nps_report.data": ["*.csv", "*.md"],
                  "nps_report.preview": ["*.js", "*.css"],
                  **{name: ["*"] for name in mapped}},
    exclude_package_data={"": ["*.pyc"]},
    # setuptools' scratch folder, away from build/, nps-report's default output folder
    options={"build": {"build_base": ".setuptools-build"}},
)
