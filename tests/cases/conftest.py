"""A small case written by the tests themselves, a content folder holding it, and helpers to
load it and play it through the services (the same path the web pages take)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from cases import services
from cases.models import Attempt, Case

LESSON = """+++
title = "{title}"
slug = "{slug}"
order = {order}
topic = "neuromuscular-weakness"
+++

A short lesson about {title}.
"""

# A pocket case exercising every feature the pages show: a value against a normal range, a
# by-stage finding, a critical test with a deadline, a harmful treatment, a decision, a rule
# that moves the patient, and partial localization credit.
MINI_CASE = """
id = "{slug}"
title = "{title}"
summary = "A weak grip that is worse by evening."
difficulty = "easy"
lessons = ["neuromuscular-weakness/definition"]
pitfalls = ["weakness-vs-fatigue"]
objectives = ["Tell fatigable weakness from fatigue"]

[patient]
age = "29 years"
sex = "female"
setting = "Neurology clinic"
complaint = "Drooping eyelids by evening"
vignette = "She notices her eyelids droop and her grip tires as the day goes on."

[budget]
minutes = 60
cost = 100

[localization]
answer = "neuromuscular-junction"
explanation = "Fatigable weakness of the eyes and limbs with normal reflexes and sensation."

[localization.credit]
"neuromuscular-junction" = 1.0
"muscle" = 0.5

[diagnosis]
answer = "mg"

[[diagnosis.options]]
id = "mg"
label = "Myasthenia gravis"

[[diagnosis.options]]
id = "myopathy"
label = "Inflammatory myopathy"

[[stages]]
id = "clinic"
title = "Clinic room"
description = "She sits across the desk, eyelids half closed."

[[stages]]
id = "ward"
title = "Neurology ward"
description = "Admitted for observation."
final = true

[[stages]]
id = "crisis"
title = "Breathing trouble"
description = "She is breathless and her voice is fading."
final = true

[[actions]]
id = "hx-fatigue"
kind = "history"
label = "Ask when the weakness is worst"
minutes = 5
stages = ["clinic"]
finding = "Worse by evening and after exertion; better after rest."
supports = ["neuromuscular-junction"]
against = ["not-weakness"]
teaching = "Fatigable weakness points to the junction."
tags = ["key"]

[[actions]]
id = "exam-ptosis"
kind = "exam"
label = "Sustained upgaze"
minutes = 5
stages = ["clinic"]
finding = "The lids droop further after a minute of upgaze."
supports = ["neuromuscular-junction"]
teaching = "Fatigable ptosis is a junction sign."
tags = ["key"]

[[actions]]
id = "ck"
kind = "test"
label = "Creatine kinase"
minutes = 30
cost = 20
stages = ["clinic"]
finding = "Normal."
value = "95 U/L"
normal = "25-200 U/L"
against = ["muscle"]
teaching = "A normal CK argues against a myopathy."
tags = ["low-yield"]

[[actions]]
id = "fvc"
kind = "test"
label = "Forced vital capacity"
minutes = 5
cost = 10
finding = "FVC is reduced."
value = "1.6 L (23 mL/kg)"
normal = "above 60 mL/kg"
teaching = "Measure breathing early in any neuromuscular weakness."
tags = ["critical"]
critical_by = 30
repeatable = true

[actions.by_stage.crisis]
finding = "FVC has fallen."
value = "0.9 L (13 mL/kg)"

[[actions]]
id = "steroid-burst"
kind = "treatment"
label = "High-dose prednisolone at once"
minutes = 5
stages = ["clinic"]
finding = "The first dose is given."
teaching = "High-dose steroids started abruptly can worsen myasthenia at first."
tags = ["harmful"]

[[actions]]
id = "admit"
kind = "decision"
label = "Admit to the ward"
minutes = 10
stages = ["clinic"]
goto = "ward"
finding = "She is admitted."
teaching = "Admission lets breathing be watched."

[[rules]]
id = "decline"
message = "She becomes breathless and can barely count to ten."
after_minutes = 40
unless_done = ["fvc"]
in_stages = ["clinic"]
goto = "crisis"
deterioration = true
"""


def mini_case_text(slug: str = "pocket-myasthenia", title: str = "A drooping evening") -> str:
    return MINI_CASE.format(slug=slug, title=title)


def write_case(content_dir: Path, slug: str = "pocket-myasthenia", **kwargs) -> Path:
    folder = content_dir / "cases"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.toml"
    path.write_text(mini_case_text(slug, **kwargs), encoding="utf-8")
    return path


def write_lessons(content_dir: Path) -> None:
    folder = content_dir / "lessons" / "neuromuscular-weakness"
    folder.mkdir(parents=True, exist_ok=True)
    for order, slug in enumerate(["definition", "common-pitfalls"], start=1):
        text = LESSON.format(title=slug.replace("-", " ").title(), slug=slug, order=order)
        (folder / f"{order:02d}-{slug}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def content_dir(tmp_path) -> Path:
    root = tmp_path / "content"
    write_lessons(root)
    (root / "questions").mkdir(parents=True)
    write_case(root)
    return root


def load(content_dir: Path) -> None:
    call_command("load_content", content_dir=content_dir, stdout=_Quiet(), stderr=_Quiet())


class _Quiet:
    """Swallows the command's report (tests read the database instead)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.fixture
def pocket_case(db, content_dir) -> Case:
    load(content_dir)
    return Case.objects.select_related("current_version").get(slug="pocket-myasthenia")


def take(action_id: str) -> dict:
    return {"type": "take_action", "action": action_id}


def choose(action_id: str) -> dict:
    return {"type": "choose_decision", "action": action_id}


def localize(level: str) -> dict:
    return {"type": "record_localization", "level": level}


def commit(level="neuromuscular-junction", diagnosis="mg", confidence="high") -> dict:
    return {"type": "commit", "level": level, "diagnosis": diagnosis, "confidence": confidence}


def play(attempt: Attempt, *events: dict) -> Attempt:
    """Record each event through the service, as the pages do; every one must be accepted."""
    for event in events:
        outcome = services.record_event(
            attempt=attempt, user=attempt.user, event=event, expected_seq=attempt.event_count
        )
        assert outcome.recorded, outcome.message
        attempt = outcome.attempt
    return attempt


@pytest.fixture
def pocket_attempt(pocket_case, learner) -> Attempt:
    return services.start_attempt(user=learner, case=pocket_case, mode="training")
