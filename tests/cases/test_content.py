"""Case files -> the database: validation, loading, and versions when a file changes."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.content import validate_cases
from cases.models import Case, CaseVersion
from cases.services import replay_attempt
from edu.authoring.registry import LoadReport
from tests.cases.conftest import commit, load, mini_case_text, play, take, write_case


def load_report(content_dir) -> dict:
    from cases.content import load_cases

    report = LoadReport()
    load_cases(content_dir, report)
    return report.counts.get("cases", {})


def test_a_sound_case_folder_has_no_faults(content_dir):
    assert validate_cases(content_dir) == []


def test_the_real_case_files_are_sound(settings):
    assert [str(fault) for fault in validate_cases(settings.CONTENT_DIR)] == []


def test_a_fault_names_the_file_and_key(content_dir):
    path = content_dir / "cases" / "pocket-myasthenia.toml"
    path.write_text(mini_case_text().replace('"muscle" = 0.5', '"muscle" = 1.5'))
    faults = [str(fault) for fault in validate_cases(content_dir)]
    assert faults == [
        "content/cases/pocket-myasthenia.toml: localization.credit.muscle: "
        "credit must be between 0 and 1, not 1.5"
    ]


def test_a_toml_syntax_error_is_a_fault_with_its_line(content_dir):
    (content_dir / "cases" / "broken.toml").write_text('id = "broken"\ntitle = \n')
    faults = validate_cases(content_dir)
    assert [(f.path, f.key) for f in faults] == [("content/cases/broken.toml", "line 2")]


def test_a_lesson_that_does_not_exist_is_a_fault(content_dir):
    path = content_dir / "cases" / "pocket-myasthenia.toml"
    path.write_text(
        mini_case_text().replace("neuromuscular-weakness/definition", "neuromuscular-weakness/nope")
    )
    assert [str(f) for f in validate_cases(content_dir)] == [
        "content/cases/pocket-myasthenia.toml: lessons[0]: "
        "no lesson 'neuromuscular-weakness/nope' in content/lessons"
    ]


def test_a_faulty_file_stops_the_load_and_nothing_is_written(db, content_dir):
    write_case(content_dir, "second-case")
    (content_dir / "cases" / "second-case.toml").write_text("id = 'second-case'\n")
    with pytest.raises(CommandError):
        load(content_dir)
    assert Case.objects.count() == 0


def test_loading_creates_then_leaves_unchanged(db, content_dir):
    from edu.lessons.content import load_lessons

    load_lessons(content_dir, LoadReport())
    assert load_report(content_dir) == {"created": 1}
    assert load_report(content_dir) == {"unchanged": 1}
    case = Case.objects.get()
    assert case.title == "A drooping evening"
    assert case.level == "neuromuscular-junction"
    assert case.patient_line == "29 years, female. Drooping eyelids by evening"
    assert list(case.versions.values_list("number", flat=True)) == [1]


def test_a_changed_file_becomes_a_new_current_version(pocket_case, content_dir):
    write_case(content_dir, title="A drooping evening, revised")
    assert load_report(content_dir) == {"new version": 1}
    pocket_case.refresh_from_db()
    assert pocket_case.title == "A drooping evening, revised"
    assert pocket_case.current_version.number == 2
    assert pocket_case.current_version.definition["title"] == "A drooping evening, revised"


def test_a_file_put_back_returns_to_its_old_version(pocket_case, content_dir):
    write_case(content_dir, title="Changed")
    load_report(content_dir)
    write_case(content_dir)
    assert load_report(content_dir) == {"restored version": 1}
    pocket_case.refresh_from_db()
    assert pocket_case.current_version.number == 1
    assert CaseVersion.objects.count() == 2


def test_an_old_attempt_stays_on_its_version_and_still_replays(pocket_attempt, content_dir):
    started = play(pocket_attempt, take("hx-fatigue"), take("ck"))
    # The author removes the CK action and renames the history action: the old attempt's
    # events would be refused by the new version, but it is pinned to its own.
    text = (
        mini_case_text()
        .replace('id = "ck"', 'id = "ck-level"')
        .replace("Ask when the weakness is worst", "When is it worst?")
    )
    (content_dir / "cases" / "pocket-myasthenia.toml").write_text(text)
    load(content_dir)
    assert Case.objects.get().current_version.number == 2
    started.refresh_from_db()
    assert started.case_version.number == 1
    state = replay_attempt(started)
    labels = [step.label for step in state.steps]
    assert labels == ["Ask when the weakness is worst", "Creatine kinase"]
    finished = play(started, take("exam-ptosis"), take("fvc"), commit())
    assert finished.score_localization == 1.0


def test_a_removed_file_withdraws_the_case_but_keeps_its_attempts(pocket_attempt, content_dir):
    play(pocket_attempt, take("hx-fatigue"))
    (content_dir / "cases" / "pocket-myasthenia.toml").unlink()
    assert load_report(content_dir) == {"withdrawn": 1}
    case = Case.objects.get()
    assert case.is_active is False
    assert case.attempts.count() == 1


def test_a_new_case_file_appears_in_the_library_without_code(db, client, content_dir):
    load(content_dir)
    write_case(content_dir, "evening-ptosis", title="Eyelids at dusk")
    load(content_dir)
    page = client.get(reverse("cases:library")).content.decode()
    assert "Eyelids at dusk" in page
    assert "A drooping evening" in page


def test_load_content_reports_the_cases(db, content_dir):
    from io import StringIO

    out = StringIO()
    call_command("load_content", content_dir=content_dir, stdout=out)
    assert "cases: 1 created" in out.getvalue()
