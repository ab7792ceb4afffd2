"""The `make bench` harness cannot rot silently: reading wrk's output (real outputs below), the
check that every case action was accepted, the table, and the bare view's bytes.

`make bench` itself (gunicorn, wrk, minutes of load) stays out of `make test`.
"""

import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from bench.bare import BareHandler
from bench.results import (
    Page,
    WrkOutputError,
    expected_seqs,
    failed_run,
    parse_walk,
    parse_wrk,
    read_plan,
    replace_readme_section,
    table,
)
from bench.seed import action_path, form_field
from cases.engine.validation import load_case_text

ROOT = Path(__file__).resolve().parents[1]

# wrk 4.1.0 (Debian) with bench/wrk/page.lua, against a small static server.
OK_OUTPUT = """\
Running 1s test @ http://127.0.0.1:8150/index.html
  2 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.88ms    3.48ms  36.01ms   89.46%
    Req/Sec   437.10    143.63   766.00     76.19%
  918 requests in 1.07s, 170.69KB read
Requests/sec:    856.36
Transfer/sec:    159.23KB
BENCH_RESULT {"requests": 918, "duration_us": 1071978, "bytes": 174788, "p50_us": 1444, \
"p90_us": 6513, "p99_us": 17329, "max_us": 36009, "mean_us": 2876.8, "errors_connect": 0, \
"errors_read": 0, "errors_write": 0, "errors_status": 0, "errors_timeout": 0, "ok_2xx": 918, \
"non_2xx": 0, "exhausted": 0}
"""
NOT_FOUND_OUTPUT = """\
Running 1s test @ http://127.0.0.1:8150/missing
  2 threads and 2 connections
  1034 requests in 1.01s, 525.26KB read
  Non-2xx or 3xx responses: 1034
Requests/sec:   1028.17
Transfer/sec:    522.30KB
BENCH_RESULT {"requests": 1034, "duration_us": 1005671, "bytes": 537865, "p50_us": 1310, \
"p90_us": 5259, "p99_us": 9361, "max_us": 14718, "mean_us": 2227.6, "errors_connect": 0, \
"errors_read": 0, "errors_write": 0, "errors_status": 1034, "errors_timeout": 0, "ok_2xx": 0, \
"non_2xx": 1034, "exhausted": 0}
"""


def test_a_wrk_run_reads_as_requests_per_second_and_latency_in_ms():
    run = parse_wrk(OK_OUTPUT, server_cpu_s=1.836)
    assert run.requests == 918
    assert run.rps == pytest.approx(856.36, abs=0.05)
    assert (run.p50_ms, run.p99_ms) == (1.444, 17.329)
    assert run.non_2xx == 0 and run.socket_errors == 0
    assert run.cpu_ms_per_request == pytest.approx(2.0)


def test_error_answers_are_counted_not_hidden():
    run = parse_wrk(NOT_FOUND_OUTPUT)
    assert run.non_2xx == 1034


def test_output_without_the_lua_report_or_disagreeing_with_wrk_is_refused():
    with pytest.raises(WrkOutputError):
        parse_wrk(OK_OUTPUT.split("BENCH_RESULT")[0])
    with pytest.raises(WrkOutputError):
        parse_wrk(OK_OUTPUT.replace("Requests/sec:    856.36", "Requests/sec:    956.36"))
    with pytest.raises(WrkOutputError):
        parse_wrk(OK_OUTPUT.replace('"ok_2xx": 918', '"ok_2xx": 917'))


def test_each_planned_attempt_is_expected_where_its_2xx_answers_moved_it():
    planned = read_plan("0 11 3 sessA\n1 12 0 sessB\n0 13 5 sessC\n")
    walked = parse_walk("noise\nBENCH_WALK 11 14 0\nBENCH_WALK 12 -1 1\nBENCH_WALK 99 2 0\n")
    assert expected_seqs(planned, walked) == {11: (14, False), 12: (0, True), 13: (5, False)}


def _page(name, real, bare):
    page = Page(name=name, title=name, body_bytes=2048)
    for rps in real:
        page.real.append(parse_wrk(_output(rps)))
    for rps in bare:
        page.bare.append(parse_wrk(_output(rps)))
    return page


def _output(rps: int) -> str:
    return (
        f'BENCH_RESULT {{"requests": {rps * 10}, "duration_us": 10000000, "bytes": 1, '
        '"p50_us": 5000, "p90_us": 8000, "p99_us": 12000, "max_us": 20000, "mean_us": 5.0, '
        '"errors_connect": 0, "errors_read": 0, "errors_write": 0, "errors_status": 0, '
        f'"errors_timeout": 0, "ok_2xx": {rps * 10}, "non_2xx": 0, "exhausted": 0}}'
    )


def test_the_ratio_is_median_real_over_median_bare_and_the_table_shows_it():
    page = _page("action", real=[100, 300, 120], bare=[1000, 900, 400])
    assert page.ratio == pytest.approx(120 / 900)
    row = table([page]).splitlines()[2]
    assert "| 120.0 |" in row and "| 900.0 |" in row and "**0.133**" in row
    assert "(0.100–0.333)" in row  # the per-round ratios, so the noise shows


def test_the_cpu_ratio_is_bare_cpu_per_request_over_real():
    page = _page("play", real=[100], bare=[1000])
    page.real[0] = replace(page.real[0], server_cpu_s=10.0)  # 1000 requests: 10 ms each
    page.bare[0] = replace(page.bare[0], server_cpu_s=5.0)  # 10000 requests: 0.5 ms each
    assert page.cpu_ratio == pytest.approx(0.05)
    assert "| 0.050 |" in table([page])


def test_the_readme_section_is_replaced_between_its_markers_only():
    readme = "intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nmore\n"
    assert replace_readme_section(readme, "new table") == (
        "intro\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\nmore\n"
    )
    with pytest.raises(ValueError):
        replace_readme_section("no markers", "x")


# Django's handler sends request_started, whose close_old_connections checks any connection an
# earlier test left open in this worker: the database must be reachable even for a bare view.
@pytest.mark.django_db
def test_the_bare_view_answers_the_captured_bytes_without_any_middleware(tmp_path, monkeypatch):
    body = "<!doctype html><p>captured é</p>".encode()
    (tmp_path / "play.html").write_bytes(body)
    monkeypatch.setenv("BENCH_BARE_DIR", str(tmp_path))
    answered = {}

    def start_response(status, headers):
        answered.update(status=status, headers=dict(headers))

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/__bare__/play/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b"seq=1"),
        "wsgi.url_scheme": "http",
    }
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        response = BareHandler()(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            # As a WSGI server does: request_finished resets the bare urlconf for this thread.
            response.close()
    assert answered["status"] == "200 OK"
    assert content == body
    # The site's middleware would add these: the bare view must not.
    assert "Content-Security-Policy" not in answered["headers"]
    assert "X-Frame-Options" not in answered["headers"]


@pytest.mark.parametrize("case_file", sorted((ROOT / "content" / "cases").glob("*.toml")))
def test_the_bench_walks_every_case_along_accepted_act_form_posts(case_file):
    case = load_case_text(case_file.read_text(), str(case_file))
    path = action_path(case)  # raises if the engine refuses a step
    assert path, "a case with nothing to do cannot be benchmarked"
    fields = [form_field(event) for event in path]
    assert all(field.startswith(("action=", "decision=")) for field in fields)


def test_a_run_wrk_gave_no_figures_for_is_left_out_of_medians_and_ratios():
    page = _page("grid", real=[10, 30], bare=[100, 100])
    page.real.append(failed_run("no BENCH_RESULT line in wrk's output"))
    page.bare.append(parse_wrk(_output(1000)))
    assert page.median("real", "rps") == 20
    assert page.round_ratios == [0.1, 0.3]


@pytest.mark.django_db
def test_a_bench_session_is_signed_in_on_the_site(client, settings):
    # The bench measures signed-in pages through sessions it writes itself; one naming a
    # backend the site no longer lists would measure the sign-in redirect instead.
    from django.contrib.auth import get_user_model

    from bench.seed import make_session

    user = get_user_model().objects.create_user("bench-reader", password=None)
    client.cookies[settings.SESSION_COOKIE_NAME] = make_session(user)
    response = client.get(reverse("quizzes:progress"))
    assert response.status_code == 200
    assert response.wsgi_request.user == user
