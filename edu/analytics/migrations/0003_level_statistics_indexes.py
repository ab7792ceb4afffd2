"""Covering indexes for a case's page and for the Levels page, so PostgreSQL answers from the
index alone. The Levels page reads the shared level statistics by date: finished case attempts
by when they finished, quiz answers by when they were given.

Superseded: the owning models declare these indexes now and 0004 drops the raw ones.
"""

from django.db import migrations

INDEXES = {
    # A case's page: its attempts in the range with the columns its figures group by. No
    # column here changes on an ordinary case action (the clock, `minutes`, is left out on
    # purpose), so PostgreSQL can still update the row in place (HOT) on the hot path.
    "analytics_attempt_case_figures": (
        "cases_attempt (case_id, started_at, status, case_version_id, chosen_level,"
        " correct_level, confidence, score_localization)"
    ),
    "analytics_attempt_finished": (
        "cases_attempt (finished_at, status, correct_level, chosen_level, user_id)"
    ),
    "analytics_answer_answered": (
        "quizzes_answer (answered_at, is_review, is_correct, question_id, option_id, user_id)"
    ),
}


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_reporting_indexes")]

    operations = [
        migrations.RunSQL(sql=f"CREATE INDEX {name} ON {target}", reverse_sql=f"DROP INDEX {name}")
        for name, target in INDEXES.items()
    ]
