"""A study's own templates run in Jinja's sandbox: the known escapes to Python are refused
with a message naming the file, and nothing they try to run runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nps_report.cli import main
from nps_report.errors import StudyError
from nps_report.render.environment import Templates, render
from nps_report.render.tracking import track
from nps_report.results import StudyInfo

SMALL = Path(__file__).parent / "studies" / "small"

# Each would run `touch MARKER` (or reach the means to) outside a sandbox.
PAYLOADS = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "joiner globals": "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
    "namespace globals": "{{ namespace.__init__.__globals__['os'].system('touch MARKER') }}",
    "self globals": "{{ self.__init__.__globals__['__builtins__']['__import__']('os')"
                    ".system('touch MARKER') }}",
    "mro subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "model class": "{{ study.__class__.__init__.__globals__ }}",
    "proxy internals": "{{ study._obj }}",
    "attr filter": "{{ (study | attr('__class__')).__mro__ }}",
    "format string": "{{ '{0.__class__.__mro__[1].__subclasses__}'.format(study.title) }}",
    "format globals": "{{ '{0.__init__.__globals__[os]}'.format(cycler) }}",
    "format_map": "{{ '{a.__class__}'.format_map({'a': study.title}) }}",
    "list mutation": "{% set items = [1] %}{{ items.append(2) }}",
    "dict mutation": "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "memory by repetition": "{{ 'x' * 1000000000 }}",
    "memory by power": "{{ 10 ** 100000000 }}",
    "huge range": "{% for i in range(10 ** 8) %}{% endfor %}",
    "include outside": "{% include '../../../../../../etc/passwd' %}",
    "include absolute": "{% include '/etc/passwd' %}",
    "import outside": "{% import '../../../../../../etc/hostname' as x %}",
}


@pytest.fixture()
def study(tmp_path):
    return shutil.copytree(SMALL, tmp_path / "study")


def override(study: Path, name: str, text: str) -> Templates:
    path = study / "manuscript" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Templates.for_study(study)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_an_escape_from_a_study_template_is_refused_and_runs_nothing(study, payload,
                                                                    monkeypatch):
    monkeypatch.chdir(study)
    templates = override(study, "title_page.md.j2", f"Title\n{payload}\n")
    info = StudyInfo("T", None, "drug", "patients", None, 4)
    with pytest.raises(StudyError) as caught:
        render("title_page.md.j2", {"study": track(info, "study")}, templates)
    message = str(caught.value)
    assert "manuscript/templates/title_page.md.j2, row 2: template error" in message
    assert not (study / "MARKER").exists()


def test_the_sandbox_still_lets_a_template_read_and_format_the_model(study):
    templates = override(study, "title_page.md.j2",
                         "{{ study.drug | capitalize }} in {{ study.n_patients }} "
                         "{{ study.population }}; {{ '%d' | format(study.n_patients * 2) }}; "
                         "{{ ('-' * 3) ~ (2 ** 10) }}\n")
    info = StudyInfo("T", None, "drug", "patients", None, 4)
    text = render("title_page.md.j2", {"study": track(info, "study")}, templates)
    assert "Drug in" in text and "patients" in text and "8" in text and "1024" in text


def test_a_build_with_a_hostile_template_exits_2_naming_the_file(study, tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = (Path(__file__).parent.parent / "templates" / "results.md.j2").read_text()
    override(study, "results.md.j2", shipped + "\n" + PAYLOADS["cycler globals"] + "\n")
    code = main(["build", str(study), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "manuscript/templates/results.md.j2" in err and "unsafe" in err
    assert "Traceback" not in err
    assert not (tmp_path / "MARKER").exists() and not (tmp_path / "out").exists()
