"""The load test's "nothing lost" comparison (tests/load/ledger.py), on hand-made journals.

The load and cluster runs stay out of `make test`; the comparison that judges them is checked
here, so a run cannot pass because the judge stopped looking.
"""

import json

from tests.load import ledger


def act(attempt, seq, action, status="acked", user="load-learner-00", server="app1", t=0.0):
    return {
        "kind": "case",
        "user": user,
        "attempt": attempt,
        "seq": seq,
        "event": {"type": "take_action", "action": action},
        "status": status,
        "server": server,
        "t": t,
    }


def stored(attempt, seq, action):
    return {"attempt": attempt, "seq": seq, "event": {"type": "take_action", "action": action}}


def answer(attempt, position, option, status="acked", user="load-learner-00"):
    return {
        "kind": "quiz",
        "user": user,
        "attempt": attempt,
        "position": position,
        "option": option,
        "status": status,
        "server": "app2",
        "t": 0.0,
    }


def cases_report(journal, events):
    return ledger.compare(journal, events, [])[0]


def test_every_acknowledged_event_stored_once_is_ok():
    journal = [act(1, 1, "hx"), act(1, 2, "ncs"), act(2, 1, "hx")]
    events = [stored(1, 1, "hx"), stored(1, 2, "ncs"), stored(2, 1, "hx")]
    report = cases_report(journal, events)
    assert report.ok
    assert (report.acked, report.stored, report.stored_once) == (3, 3, 3)


def test_an_acknowledged_event_missing_from_the_database_is_lost():
    report = cases_report([act(1, 1, "hx"), act(1, 2, "ncs")], [stored(1, 1, "hx")])
    assert not report.ok
    assert report.missing == [(1, 2)]


def test_a_replay_stored_as_a_second_event_is_caught():
    # The client was told once; a retried POST that slipped past the seq check would store the
    # same action again at the next seq, which no one was told about.
    report = cases_report([act(1, 1, "hx")], [stored(1, 1, "hx"), stored(1, 2, "hx")])
    assert not report.ok
    assert report.unannounced == [(1, 2)]


def test_the_same_key_stored_twice_is_a_duplicate():
    report = cases_report([act(1, 1, "hx")], [stored(1, 1, "hx"), stored(1, 1, "hx")])
    assert report.duplicated == [(1, 1)]
    assert not report.ok


def test_an_event_stored_with_other_content_is_caught():
    report = cases_report([act(1, 1, "hx")], [stored(1, 1, "ncs")])
    assert report.different == [(1, 1)]
    assert not report.ok


def test_a_gap_in_seq_is_caught_even_when_every_acknowledged_event_is_there():
    report = cases_report(
        [act(1, 1, "hx"), act(1, 3, "ck")], [stored(1, 1, "hx"), stored(1, 3, "ck")]
    )
    assert report.gaps == [(1, 2)]
    assert not report.ok


def test_the_request_in_flight_may_be_stored_or_not():
    journal = [
        act(1, 1, "hx"),
        act(1, 2, "ncs", status="unanswered"),
        act(2, 1, "ck", "unanswered"),
    ]
    # The worker died after committing attempt 1's event and before committing attempt 2's.
    report = cases_report(journal, [stored(1, 1, "hx"), stored(1, 2, "ncs")])
    assert report.ok
    assert (report.unanswered, report.in_flight_stored, report.in_flight_lost) == (2, 1, 1)


def test_an_unanswered_request_later_acknowledged_on_resend_counts_as_acknowledged():
    journal = [act(1, 1, "hx", status="unanswered"), act(1, 1, "hx", server="app2")]
    report = cases_report(journal, [stored(1, 1, "hx")])
    assert report.ok
    assert (report.acked, report.unanswered, report.stored_once) == (1, 0, 1)
    # ...and if that acknowledged resend is not in the database, it is lost.
    assert cases_report(journal, []).missing == [(1, 1)]


def test_quiz_answers_are_compared_by_attempt_position_and_option():
    journal = [answer(7, 1, 31), answer(7, 2, 35), answer(7, 3, 40, status="unanswered")]
    good = [
        {"attempt": 7, "position": 1, "option": 31},
        {"attempt": 7, "position": 2, "option": 35},
    ]
    report = ledger.compare(journal, [], good)[1]
    assert report.ok and report.stored_once == 2 and report.in_flight_lost == 1
    wrong = [{"attempt": 7, "position": 1, "option": 32}]
    report = ledger.compare(journal, [], wrong)[1]
    assert report.different == [(7, 1)] and report.missing == [(7, 2)]


def test_the_report_says_failed_and_names_what_was_lost():
    report = cases_report([act(1, 1, "hx")], [])
    text = "\n".join(report.lines())
    assert "case events: FAILED" in text
    assert "acknowledged but missing: 1" in text
    assert "missing: (1, 1)" in text


def test_a_journal_line_cut_short_by_a_killed_client_is_skipped(tmp_path):
    path = tmp_path / "journal.jsonl"
    path.write_text(json.dumps(act(1, 1, "hx")) + "\n" + '{"kind": "case", "att')
    assert ledger.read_journal(path) == [act(1, 1, "hx")]


def test_servers_seen_per_learner_and_attempts_written_through_both():
    journal = [
        act(1, 1, "hx", server="app1"),
        act(1, 2, "ncs", server="app2"),
        act(2, 1, "hx", user="load-learner-01", server="app2"),
        act(2, 2, "ck", user="load-learner-01", status="unanswered", server=""),
    ]
    seen = ledger.servers_seen(journal)
    assert seen == {"load-learner-00": {"app1": 1, "app2": 1}, "load-learner-01": {"app2": 1}}
    assert ledger.attempts_on_both(journal) == (1, 2)


def test_after_a_kill_each_learners_next_write_is_followed_until_acknowledged():
    journal = [
        act(1, 1, "hx", server="app1", t=1.0),  # before the kill: not counted
        act(1, 2, "ncs", status="unanswered", server="", t=10.5),  # in flight on the dead one
        act(1, 2, "ncs", server="app2", t=12.0),  # the same click again, on the other server
        act(2, 1, "hx", user="load-learner-01", server="app2", t=11.0),
        act(3, 1, "hx", user="load-learner-02", status="unanswered", server="", t=11.0),
    ]
    report = ledger.after_kill(journal, killed_at=10.0)
    assert report.learners == 3
    assert (report.acked_first_time, report.acked_on_resend) == (1, 1)
    assert report.never_acked == ["load-learner-02"]
    assert report.servers == {"app2": 2}


def test_a_write_sent_but_never_answered_when_the_run_ended_is_in_flight():
    journal = [act(1, 1, "hx"), act(1, 2, "ncs", status="sent")]
    report = cases_report(journal, [stored(1, 1, "hx"), stored(1, 2, "ncs")])
    assert report.ok
    assert (report.unanswered, report.in_flight_stored) == (1, 1)


def test_a_write_the_server_refused_must_not_be_stored():
    journal = [act(1, 1, "hx"), act(1, 2, "ncs", status="sent"), act(1, 2, "ncs", "refused")]
    report = cases_report(journal, [stored(1, 1, "hx"), stored(1, 2, "ncs")])
    assert report.unannounced == [(1, 2)]
    assert not report.ok


def test_after_a_kill_a_try_counts_from_its_answer_not_from_its_sent_line():
    journal = [
        act(1, 2, "ncs", status="sent", t=10.5),
        act(1, 2, "ncs", server="app2", t=11.5),  # answered at once, on the other server
    ]
    report = ledger.after_kill(journal, killed_at=10.0)
    assert (report.acked_first_time, report.acked_on_resend) == (1, 0)
