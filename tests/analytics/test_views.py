"""The analytics pages: what an admin sees, at a pinned number of queries that does not grow."""

import pytest
from django.urls import reverse

from edu.analytics.models import CaseAttemptSummary
from tests.analytics.conftest import grow_program, sit
from tests.factories import LearnerFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def get_ok(client, url, landmark: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    assert landmark in response.content.decode()
    return response


def test_overview_shows_the_weekly_trend_and_the_cohorts(admin_client_role, program):
    response = get_ok(admin_client_role, reverse("analytics:index"), "Program analytics")
    html = response.content.decode()
    assert "Learners active per week" in html and "<svg" in html
    assert "Alpha rotation" in html and "Beta rotation" in html
    assert response.context["page"].data.started == 5


def test_the_filter_is_kept_in_every_link(admin_client_role, program):
    alpha = program["alpha"]
    response = get_ok(
        admin_client_role,
        reverse("analytics:index"),
        "Program analytics",
        start="2020-01-01",
        end="2030-01-01",
        cohort=alpha.pk,
    )
    query = f"start=2020-01-01&amp;end=2030-01-01&amp;cohort={alpha.pk}"
    html = response.content.decode()
    assert f"{reverse('analytics:cases')}?{query}" in html
    assert f"{reverse('analytics:index-csv', args=['weeks'])}?{query}" in html
    assert "Beta rotation" not in html.split("By cohort")[1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "yesterday"}, "Enter a valid date"),
        ({"start": "2026-05-01", "end": "2026-01-01"}, "start date is after the end date"),
        ({"cohort": "99999"}, "That cohort does not exist"),
    ],
)
def test_bad_filter_input_gets_a_message_and_the_default_range(admin_client_role, params, message):
    response = get_ok(admin_client_role, reverse("analytics:index"), message, **params)
    assert response.context["scope"].cohort is None


def test_htmx_filter_swaps_only_the_analytics_region(admin_client_role, program):
    response = admin_client_role.get(reverse("analytics:cases"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="analytics">')
    assert "<html" not in html and "A drooping evening" in html


def test_case_page_shows_levels_safety_calibration_and_first_moves(admin_client_role, program):
    url = reverse("analytics:case", args=[program["case"].slug])
    html = get_ok(admin_client_role, url, "A drooping evening").content.decode()
    assert "Neuromuscular junction (true level)" in html
    assert "Calibration" in html
    assert "Ask when the weakness is worst → Sustained upgaze → Forced vital capacity" in html
    assert "By version" in html


def test_unknown_case_or_quiz_is_a_friendly_404(admin_client_role):
    assert admin_client_role.get(reverse("analytics:case", args=["nope"])).status_code == 404
    assert admin_client_role.get(reverse("analytics:quiz", args=["nope"])).status_code == 404


def test_item_analysis_page_flags_the_negative_item(admin_client_role, quiz_a):
    url = reverse("analytics:quiz", args=[quiz_a["quiz"].slug])
    html = get_ok(admin_client_role, url, "Item analysis: Quiz A").content.decode()
    assert "discriminates negatively" in html
    assert "Cronbach" in html and "-1.10" in html  # alpha = -56/51


def test_question_page_shows_the_distractors_by_group(admin_client_role, quiz_a):
    q4 = quiz_a["questions"][3]
    url = reverse("analytics:question", args=[quiz_a["quiz"].slug, q4.pk])
    html = get_ok(admin_client_role, url, "Distractor analysis").content.decode()
    assert "the upper group prefers a distractor to the key" in html
    assert "Upper 27 %" in html


def test_question_without_answers_is_404(admin_client_role, quiz_a):
    url = reverse("analytics:question", args=[quiz_a["quiz"].slug, 999999])
    assert admin_client_role.get(url).status_code == 404


# --- query counts: fixed, and the same with more data ------------------------------------


def _pinned(client, url, landmark, grow, expected, **params):
    def fetch():
        get_ok(client, url, landmark, **params)

    return assert_constant_queries(fetch, grow, expected=expected)


def test_overview_query_count(admin_client_role, program):
    _pinned(
        admin_client_role,
        reverse("analytics:index"),
        "Program analytics",
        lambda: grow_program(program),
        6,
    )


def test_overview_query_count_with_a_cohort(admin_client_role, program):
    _pinned(
        admin_client_role,
        reverse("analytics:index"),
        "Program analytics",
        lambda: grow_program(program),
        7,
        cohort=program["alpha"].pk,
    )


def test_cases_query_count(admin_client_role, program):
    _pinned(
        admin_client_role,
        reverse("analytics:cases"),
        "Case analytics",
        lambda: grow_program(program),
        3,
    )


def test_case_query_count(admin_client_role, program):
    url = reverse("analytics:case", args=[program["case"].slug])
    _pinned(admin_client_role, url, "Where learners localized it", lambda: grow_program(program), 7)


def test_case_version_query_count(admin_client_role, program):
    url = reverse("analytics:case", args=[program["case"].slug])
    _pinned(
        admin_client_role,
        url,
        "Where learners localized it",
        lambda: grow_program(program),
        8,
        version=1,
    )


def _more_sittings(quiz_a):
    for letters in ("aaab", "abca", "aabb", "bbbb"):
        sit(quiz_a["quiz"], LearnerFactory(), letters, quiz_a["questions"])


def test_quizzes_query_count(admin_client_role, quiz_a):
    _pinned(
        admin_client_role,
        reverse("analytics:quizzes"),
        "Question analytics",
        lambda: _more_sittings(quiz_a),
        3,
    )


def test_quiz_query_count(admin_client_role, quiz_a):
    url = reverse("analytics:quiz", args=[quiz_a["quiz"].slug])
    _pinned(admin_client_role, url, "Item analysis", lambda: _more_sittings(quiz_a), 7)


def test_question_query_count(admin_client_role, quiz_a):
    url = reverse("analytics:question", args=[quiz_a["quiz"].slug, quiz_a["questions"][0].pk])
    _pinned(admin_client_role, url, "Distractor analysis", lambda: _more_sittings(quiz_a), 7)


def test_summaries_come_from_the_finish_not_from_page_views(admin_client_role, program):
    CaseAttemptSummary.objects.all().delete()
    url = reverse("analytics:case", args=[program["case"].slug])
    html = get_ok(admin_client_role, url, "Where learners localized it").content.decode()
    assert "Ask when the weakness is worst →" not in html


def test_levels_page_shows_the_matrix_and_the_trend(admin_client_role, program):
    html = get_ok(
        admin_client_role, reverse("analytics:levels"), "Levels learners confuse"
    ).content.decode()
    assert "Confusion matrix: true level × chosen level" in html
    assert "Does it change over time?" in html
    assert "Muscle" in html


def test_levels_query_count(admin_client_role, program):
    _pinned(
        admin_client_role,
        reverse("analytics:levels"),
        "Levels learners confuse",
        lambda: grow_program(program),
        6,
    )
