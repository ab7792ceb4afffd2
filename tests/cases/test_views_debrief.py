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
        assert re.search(rf"{label} \d+% {weight}", plain), label
    assert "You chose Muscle: 50 % credit. The best level is Neuromuscular junction." in plain


def test_debrief_puts_the_choice_beside_the_answer_on_the_diagram(debrief_page):
    assert len(re.findall(r'class="mu-level[^"]*\bis-chosen\b', debrief_page)) == 1
    assert len(re.findall(r'class="mu-level[^"]*\bis-correct\b', debrief_page)) == 1
    plain = text(debrief_page)
    assert "Muscle, your choice, credit 50%" in plain
    assert "Neuromuscular junction, the best level, credit 100%" in plain


def test_debrief_replays_the_path_in_order(debrief_page):
    whole = text(debrief_page)
    plain = whole[whole.index("Your path, step by step") : whole.index("What you missed")]
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
    assert "Sustained upgaze" in misses
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
