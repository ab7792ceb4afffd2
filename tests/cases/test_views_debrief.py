"""The debrief: the score in parts, the answer beside the choice, and the path replayed."""

import re

import pytest
from django.urls import reverse

from tests.cases.conftest import choose, commit, localize, play, take


@pytest.fixture
def debrief_page(client, pocket_attempt):
    attempt = play(
        pocket_attempt,
        take("hx-fatigue"),
        localize("muscle"),
        take("fvc"),
        take("ck"),
        take("steroid-burst"),
        choose("admit"),
        commit(level="muscle", diagnosis="myopathy", confidence="low"),
    )
    client.force_login(attempt.user)
    response = client.get(reverse("cases:debrief", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_debrief_shows_each_score_part_with_its_weight(debrief_page):
    plain = text(debrief_page)
    for label, weight in [
        ("Localization", "50%"),
        ("Thoroughness", "15%"),
        ("Efficiency", "10%"),
        ("Safety", "15%"),
        ("Diagnosis", "10%"),
    ]:
        assert re.search(rf"{label} \d+% (weight )?{weight}", plain), label
    assert "You chose Muscle: 50 % credit. The best level is Neuromuscular junction." in plain


def test_debrief_puts_the_choice_beside_the_answer_on_the_diagram(debrief_page):
    assert len(re.findall(r'class="mu-level[^"]*\bis-chosen\b', debrief_page)) == 1
    assert len(re.findall(r'class="mu-level[^"]*\bis-correct\b', debrief_page)) == 1
    plain = text(debrief_page)
    assert "Muscle, your choice, credit 50%" in plain
    assert "Neuromuscular junction, the best level, credit 100%" in plain


def test_debrief_replays_the_path_in_order(debrief_page):
    html = debrief_page[debrief_page.index('<ol class="path">') :]
    plain = text(html[: html.index("</ol>")])
    order = [
        "Ask when the weakness is worst",
        "Working level: Muscle",
        "Forced vital capacity",
        "Creatine kinase",
        "High-dose prednisolone at once",
        "Admit to the ward",
        "Committed: Muscle",
    ]
    positions = [plain.index(label) for label in order]
    assert positions == sorted(positions)
    assert "Supports: Neuromuscular junction" in plain
    assert "Against: Muscle" in plain
    assert "Teaching point: Fatigable weakness points to the junction." in plain
    assert "→ Neurology ward" in plain


def test_debrief_lists_misses_harms_and_the_expert_path(debrief_page):
    plain = text(debrief_page)
    misses = plain[plain.index("Key findings missed") : plain.index("Critical actions missed")]
    # Sustained upgaze, missed, is on the expert's path: marked there, counted here.
    assert "1 key finding you missed is marked ✗ missed on the expert" in misses
    harms = plain[plain.index("Harmful actions taken") : plain.index("Rules that fired")]
    assert "High-dose prednisolone at once" in harms
    expert = plain[plain.index("What an expert path looks like") :]
    assert expert.index("Forced vital capacity") < expert.index("Admit to the ward")


def test_debrief_links_the_lessons(debrief_page):
    assert 'href="/lessons/neuromuscular-weakness/definition/"' in debrief_page


def test_debrief_names_the_lessons_by_their_titles(client, pocket_attempt):
    from edu.lessons.models import Lesson

    Lesson.objects.filter(slug="definition").update(title="What weakness means")
    attempt = play(pocket_attempt, commit())
    client.force_login(attempt.user)
    page = client.get(reverse("cases:debrief", args=[attempt.pk])).content.decode()
    assert "What weakness means" in page


def test_debrief_shows_rules_that_fired(client, pocket_attempt):
    attempt = play(pocket_attempt, take("ck"), take("hx-fatigue"), take("exam-ptosis"), commit())
    client.force_login(attempt.user)
    plain = text(client.get(reverse("cases:debrief", args=[attempt.pk])).content.decode())
    fired = plain[plain.index("Rules that fired") :]
    assert "She becomes breathless and can barely count to ten." in fired
    assert "The patient deteriorated" in plain


def debrief_text(client, attempt) -> str:
    client.force_login(attempt.user)
    response = client.get(reverse("cases:debrief", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_duration_reads_like_the_clock(client, pocket_attempt):
    # 75 minutes on a case an expert does in 60: no bare minute counts anywhere.
    attempt = play(pocket_attempt, take("hx-fatigue"), take("ck"), *[take("fvc")] * 8, commit())
    plain = text(debrief_text(client, attempt))
    assert "You used 1 h 15 (an expert needs about 1 h)" in plain
    assert "75 minutes" not in plain
    assert "about 60)" not in plain
    assert "1 h 15 on the clock" in plain


def test_a_diagnosis_that_contradicts_the_level_is_pointed_out(client, pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), commit(level="muscle", diagnosis="mg"))
    plain = text(debrief_text(client, attempt))
    assert (
        "You named Myasthenia gravis, a disease of the neuromuscular junction, but committed "
        "Muscle: the diagnosis and the level disagree."
    ) in plain


def test_a_diagnosis_that_fits_the_level_is_not_flagged(client, pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), commit())
    assert "disagree" not in debrief_text(client, attempt)


def test_every_diagnosis_in_the_library_has_its_levels():
    """The contradiction check reads its levels from data: every case's diagnoses are covered."""
    import tomllib
    from pathlib import Path

    from cases.diagnoses import DIAGNOSIS_LEVELS
    from cases.engine.levels import LEVEL_IDS

    folder = Path(__file__).resolve().parents[2] / "content" / "cases"
    missing = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for option in data["diagnosis"]["options"]:
            if option["id"] == data["diagnosis"]["answer"]:
                continue  # the case's own credit says where its answer sits
            if option["id"] not in DIAGNOSIS_LEVELS:
                missing.append(f"{path.name}: {option['id']}")
    assert not missing, f"diagnoses without levels in cases/diagnoses.py: {missing}"
    assert all(set(levels) <= set(LEVEL_IDS) for levels in DIAGNOSIS_LEVELS.values())


def test_the_summary_and_what_to_learn_come_before_the_detail(debrief_page):
    plain = text(debrief_page)
    order = ["What to learn first", "Your score", "How the evidence moved", "What you missed"]
    positions = [plain.index(heading) for heading in order]
    assert positions == sorted(positions)
    learn = plain[plain.index("What to learn first") : plain.index("Your score")]
    assert "Where the lesion is. You placed it at Muscle; it is at Neuromuscular junction." in learn
    assert "Keep the patient safe" in learn or "Avoid" in learn


def test_each_teaching_point_appears_once(debrief_page):
    plain = text(debrief_page)
    for point in [
        "Fatigable weakness points to the junction.",  # taken: on the learner's path
        "Fatigable ptosis is a junction sign.",  # missed: on the expert's path
        "A normal CK argues against a myopathy.",
        "High-dose steroids started abruptly can worsen myasthenia at first.",
    ]:
        assert plain.count(point) == 1, point


def test_the_belief_charts_are_svg_with_their_numbers(debrief_page):
    html = debrief_page
    for key in ("learner", "expert"):
        figure = html[html.index(f'id="belief-{key}"') :]
        figure = figure[: figure.index("</figure>")]
        assert '<svg viewBox="0 0 360 190" role="img"' in figure
        # The answer's level and the six others, one line each.
        assert figure.count("<polyline") == 7
        assert figure.count('class="line tone-answer"') == 1
        assert "<table" in figure and "Presentation" in figure
    learner = html[html.index('id="belief-learner"') :]
    learner = learner[: learner.index("</figure>")]
    # Five steps on the learner's path: the presentation and one row per step.
    assert learner.count('<th scope="row">') == 6
    assert 'class="mark mark-working"' in learner and 'class="mark mark-commit"' in learner
    assert "Working level: Muscle" in learner


def test_the_expert_reading_names_the_finding_that_made_it_clear(client, learner):
    from django.core.management import call_command

    from cases import services
    from cases.engine.scoring import expert_events
    from cases.models import Case
    from cases.selectors import parsed_case

    call_command("load_content", verbosity=0)
    gbs = Case.objects.select_related("current_version").get(slug="gbs-ascending")
    attempt = services.start_attempt(user=learner, case=gbs, mode="training")
    events = expert_events(parsed_case(gbs.current_version), commit=True)
    attempt = play(attempt, *events)
    plain = text(debrief_text(client, attempt))
    assert re.search(
        r"After “[^”]+” \(step \d+\), an expert would have placed this in the nerve root or "
        r"peripheral nerve\.",
        plain,
    )
    assert "clear from here" in plain


def test_a_case_that_never_becomes_clear_says_so(debrief_page):
    assert "Even on the expert&#x27;s path no finding points clearly to one level." in debrief_page


def test_an_early_commit_names_the_findings_that_would_have_decided(client, pocket_attempt):
    attempt = play(pocket_attempt, commit())
    plain = text(debrief_text(client, attempt))
    assert "You committed before your findings set Neuromuscular junction apart from" in plain
    separators = plain[plain.index("These findings would have told them apart:") :]
    assert "Ask when the weakness is worst" in separators[:400]
    assert "never pointed clearly to the neuromuscular junction before you committed" in plain


def test_a_full_work_up_is_not_called_early(client, pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("exam-ptosis"), take("fvc"), commit())
    assert "You committed before" not in debrief_text(client, attempt)


def test_the_play_page_never_shows_the_expert_belief(client, pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), take("exam-ptosis"))
    client.force_login(attempt.user)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = client.get(reverse("cases:play", args=[attempt.pk]), **headers).content.decode()
        assert "belief" not in page.lower()
        assert "an expert would" not in page


def test_a_wrong_level_is_shown_the_findings_that_tell_the_answer_from_it(client, pocket_attempt):
    attempt = play(pocket_attempt, take("hx-fatigue"), commit(level="muscle", diagnosis=""))
    html = debrief_text(client, attempt)
    box = text(html[html.index('class="separators"') :][:2000])
    assert "These findings tell Neuromuscular junction from your choice, Muscle:" in box
    assert "Ask when the weakness is worst ✓ you had this" in box
    assert "Sustained upgaze" in box


def test_the_conflict_reads_well_for_a_cause_that_is_not_weakness(pocket_case):
    from dataclasses import replace

    from cases.engine.state import FinalAnswer, start
    from cases.selectors import _conflict, parsed_case

    case = parsed_case(pocket_case.current_version)
    state = start(case)
    answer = FinalAnswer("muscle", "iron-deficiency-fatigue", "", 0)
    # The option is not in the pocket case: the table's levels for its id still apply.
    assert _conflict(case, replace(state, answer=answer)) == (
        "You named iron-deficiency-fatigue, a cause of tiredness, not of weakness, but committed "
        "Muscle: the diagnosis and the level disagree."
    )
