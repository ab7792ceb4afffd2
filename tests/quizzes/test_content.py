"""Question files -> the database: validation, idempotent loading, withdrawal, and the author's
review in the admin surviving a reload."""

import pytest

from edu.quizzes.content import validate_questions
from edu.quizzes.models import Answer, Option, Question, QuizDefinition, Status
from edu.quizzes.services import answer_item, start_attempt
from tests.factories import LearnerFactory
from tests.quizzes.conftest import question_toml, write_questions


def test_validate_questions_names_the_file_key_and_lesson(content_dir):
    write_questions(content_dir, "bad", question_toml("q-one", lesson="no-such-lesson"))
    faults = [str(fault) for fault in validate_questions(content_dir)]
    assert len(faults) == 1
    assert faults[0].startswith("content/questions/bad.toml: questions[0].lesson: unknown lesson")


def test_validate_questions_finds_ids_repeated_across_files(content_dir):
    write_questions(content_dir, "a", question_toml("same-id"))
    write_questions(content_dir, "b", question_toml("same-id"))
    faults = [str(fault) for fault in validate_questions(content_dir)]
    assert any("duplicate id 'same-id'" in fault for fault in faults)


def test_the_project_question_bank_is_valid():
    from django.conf import settings

    assert [str(f) for f in validate_questions(settings.CONTENT_DIR)] == []


def test_loading_creates_questions_with_their_options(content_dir, load):
    write_questions(content_dir, "def", question_toml("q-one"), question_toml("q-two", correct=2))
    counts = load(content_dir)
    assert counts["questions"] == {"created": 2}
    question = Question.objects.get(external_id="q-two")
    assert question.lesson.slug == "definition"
    assert question.status == Status.APPROVED
    assert [o.text for o in question.options.order_by("position")] == [
        "Neuromuscular junction",
        "Muscle",
        "Peripheral nerve",
        "Nerve root",
    ]
    assert question.options.get(is_correct=True).text == "Peripheral nerve"


def test_loading_twice_changes_nothing(content_dir, load):
    write_questions(content_dir, "def", question_toml("q-one"), question_toml("q-two"))
    load(content_dir)
    counts = load(content_dir)
    assert counts["questions"] == {"unchanged": 2}
    assert counts["quizzes"] == {"unchanged": 3}


def test_a_quiz_per_lesson_and_one_across_the_topic(content_dir, load):
    write_questions(content_dir, "def", question_toml("q-one"))
    load(content_dir)
    quizzes = {q.slug: q for q in QuizDefinition.objects.all()}
    assert set(quizzes) == {
        "neuromuscular-weakness-definition",
        "neuromuscular-weakness-common-pitfalls",
        "neuromuscular-weakness",
    }
    topic = quizzes["neuromuscular-weakness"]
    assert topic.question_count == 15 and topic.lesson is None
    assert topic.lesson_keys == [
        "neuromuscular-weakness/definition",
        "neuromuscular-weakness/common-pitfalls",
    ]
    assert quizzes["neuromuscular-weakness-definition"].lesson.title == "Definition"


def test_an_edited_question_is_updated_and_keeps_its_answers(content_dir, load):
    path = write_questions(content_dir, "def", question_toml("q-one"))
    load(content_dir)
    learner = LearnerFactory()
    attempt = start_attempt(
        user=learner,
        definition=QuizDefinition.objects.get(slug="neuromuscular-weakness-definition"),
        mode="practice",
    )
    muscle = Option.objects.get(question__external_id="q-one", text="Muscle")
    answer_item(attempt=attempt, position=1, option_id=muscle.pk)

    path.write_text(
        path.read_text()
        .replace("Where is the lesion?", "Where is the lesion most likely?")
        .replace('"Nerve root"', '"Anterior horn cell"')
    )
    counts = load(content_dir)
    assert counts["questions"] == {"updated": 1}
    question = Question.objects.get(external_id="q-one")
    assert question.stem == "Where is the lesion most likely?"
    texts = [o.text for o in question.options.order_by("position")]
    assert texts[-1] == "Anterior horn cell"
    # The option the learner chose kept its row, so the answer still points at it.
    answer = Answer.objects.get()
    assert answer.option_id == muscle.pk and answer.option_text == "Muscle"


def test_moving_the_correct_mark_reloads_cleanly(content_dir, load):
    path = write_questions(content_dir, "def", question_toml("q-one", correct=0))
    load(content_dir)
    path.write_text(path.read_text().replace("correct = true\n", ""))
    path.write_text(
        path.read_text().replace('text = "Nerve root"', 'text = "Nerve root"\ncorrect = true')
    )
    load(content_dir)
    assert Option.objects.get(is_correct=True).text == "Nerve root"


def test_a_question_removed_from_the_files_is_withdrawn_not_deleted(content_dir, load):
    path = write_questions(content_dir, "def", question_toml("q-one"), question_toml("q-two"))
    load(content_dir)
    path.write_text('topic = "neuromuscular-weakness"\n\n' + question_toml("q-one"))
    counts = load(content_dir)
    assert counts["questions"] == {"unchanged": 1, "withdrawn": 1}
    gone = Question.objects.get(external_id="q-two")
    assert not gone.is_active and not gone.reaches_learners
    # Putting it back brings it back.
    path.write_text(
        'topic = "neuromuscular-weakness"\n\n' + question_toml("q-one") + question_toml("q-two")
    )
    assert load(content_dir)["questions"] == {"unchanged": 1, "updated": 1}
    assert Question.objects.get(external_id="q-two").is_active


def test_admin_approval_survives_a_reload_while_the_file_says_draft(content_dir, load):
    write_questions(content_dir, "drafts", question_toml("q-draft", status="draft"))
    load(content_dir)
    question = Question.objects.get(external_id="q-draft")
    assert question.status == Status.DRAFT
    question.approved_in_admin = True
    question.save()
    load(content_dir)
    question.refresh_from_db()
    assert question.status == Status.APPROVED
    assert question.file_status == Status.DRAFT


def test_admin_text_edits_survive_until_the_file_entry_changes(content_dir, load):
    path = write_questions(content_dir, "def", question_toml("q-one"))
    load(content_dir)
    Question.objects.filter(external_id="q-one").update(stem="Edited in the admin")
    load(content_dir)
    assert Question.objects.get(external_id="q-one").stem == "Edited in the admin"
    path.write_text(path.read_text().replace("Where is the lesion?", "New wording in the file"))
    load(content_dir)
    assert Question.objects.get(external_id="q-one").stem == "New wording in the file"


def test_a_file_turning_a_draft_approved_approves_it(content_dir, load):
    path = write_questions(content_dir, "def", question_toml("q-one", status="draft"))
    load(content_dir)
    path.write_text(path.read_text().replace('status = "draft"', 'status = "approved"'))
    assert load(content_dir)["questions"] == {"updated": 1}
    assert Question.objects.get(external_id="q-one").status == Status.APPROVED


@pytest.mark.django_db
def test_load_content_loads_the_project_bank_and_its_quizzes():
    from django.core.management import call_command

    call_command("load_content")
    assert Question.objects.filter(status=Status.APPROVED).count() >= 40
    assert QuizDefinition.objects.filter(is_active=True, lesson__isnull=True).count() == 1


def test_validate_questions_fails_a_question_whose_lesson_lacks_its_section(content_dir):
    lesson = content_dir / "lessons" / "neuromuscular-weakness" / "01-definition.md"
    lesson.write_text(lesson.read_text() + "\n## The motor unit pathway\n\nText.\n")
    entry = question_toml("q-one").replace(
        'difficulty = "medium"', 'section = "The motor unit"\ndifficulty = "medium"'
    )
    write_questions(content_dir, "def", entry)
    assert [str(fault) for fault in validate_questions(content_dir)] == [
        "content/questions/def.toml: questions[0].section: lesson "
        "'neuromuscular-weakness/definition' has no section 'The motor unit'; did you mean "
        "'The motor unit pathway'?"
    ]


def test_validate_questions_accepts_a_section_the_lesson_has(content_dir):
    lesson = content_dir / "lessons" / "neuromuscular-weakness" / "01-definition.md"
    lesson.write_text(lesson.read_text() + "\n## The motor unit pathway\n\nText.\n")
    entry = question_toml("q-one").replace(
        'difficulty = "medium"', 'section = "The motor unit pathway"\ndifficulty = "medium"'
    )
    write_questions(content_dir, "def", entry)
    assert validate_questions(content_dir) == []
