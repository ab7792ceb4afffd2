"""Indexes the program pages read by, on other apps' tables, kept here with the reads that
need them. Plain CREATE INDEX works on SQLite and PostgreSQL alike; reversing drops them.

Superseded: the owning models declare these indexes now and 0004 drops the raw ones.
"""

from django.db import migrations

INDEXES = {
    # Overview: attempts by start date; covering, so the weekly counts need no table visits.
    "analytics_attempt_started": "cases_attempt (started_at, user_id, status, score_localization)",
    # (A case's page reads the covering index of 0003, which starts with case and start.)
    # A quiz's item analysis: its finished (first) attempts.
    "analytics_quizattempt_def": "quizzes_quizattempt (definition_id, status, is_first_attempt)",
    # The overview's quiz trend: sittings by start date.
    "analytics_quizattempt_started": "quizzes_quizattempt (started_at, user_id)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_case_attempt_summary"),
        # After the owning apps' latest migrations: on SQLite, a migration that alters a table
        # rebuilds it and drops indexes its models do not declare, as these are not.
        ("cases", "0003_merge_safety_outcome_and_score_revision"),
        ("quizzes", "0002_option_level"),
        ("cohorts", "0002_cohort_dates_assignments_risk"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON {target}",
            reverse_sql=f"DROP INDEX {name}",
        )
        for name, target in INDEXES.items()
    ]
