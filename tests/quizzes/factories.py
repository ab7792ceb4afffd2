"""Factories for questions, quizzes and attempts, plus a bulk bank builder for scale tests."""

import factory

from edu.lessons.models import Lesson, Topic
from edu.quizzes.models import Option, Question, QuizDefinition, Status
from edu.quizzes.question_format import OptionSpec, option_level

TOPIC = "neuromuscular-weakness"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = TOPIC
    title = "Neuromuscular weakness"


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    topic = factory.SubFactory(TopicFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.LazyAttribute(lambda lesson: lesson.slug.replace("-", " ").capitalize())
    order = factory.Sequence(lambda n: n + 1)
    body_markdown = "Text."
    body_html = "<p>Text.</p>"
    source_path = factory.LazyAttribute(lambda lesson: f"{lesson.order:02d}-{lesson.slug}.md")
    content_hash = "x"


class QuestionFactory(factory.django.DjangoModelFactory):
    """An approved single-best-answer question with four options; the first is correct.

    `options=["A", "B", ...]` sets the texts (the first stays correct), `correct=2` moves the
    correct mark.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    external_id = factory.Sequence(lambda n: f"q-{n}")
    lesson = factory.SubFactory(LessonFactory)
    lesson_key = factory.LazyAttribute(
        lambda q: f"{q.lesson.topic.slug}/{q.lesson.slug}" if q.lesson else f"{TOPIC}/none"
    )
    level = "neuromuscular-junction"
    difficulty = "medium"
    kind = "single-best-answer"
    stem = factory.Sequence(lambda n: f"Question {n}: where is the lesion?")
    explanation = "Because the weakness fatigues and the reflexes are kept."
    file_status = Status.APPROVED
    content_hash = "x"

    @factory.post_generation
    def options(self, create, extracted, correct=0, **kwargs):
        if not create:
            return
        texts = extracted or [
            "Neuromuscular junction",
            "Muscle",
            "Peripheral nerve",
            "Anterior horn cell",
        ]
        Option.objects.bulk_create(
            Option(
                question=self,
                position=position,
                text=text,
                is_correct=position == correct,
                why=f"Note on {text}.",
                # As load_content would store it for a file that gives no option levels.
                level=option_level(
                    OptionSpec(text=text, why="", correct=position == correct), self.level
                ),
            )
            for position, text in enumerate(texts)
        )


class QuizDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizDefinition

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    lesson_keys = factory.LazyAttribute(
        lambda d: [f"{d.lesson.topic.slug}/{d.lesson.slug}"] if d.lesson else []
    )
    lesson = None
    question_count = 5
    generated = True


def bulk_questions(n: int, *, lesson: Lesson, prefix: str = "bulk", level: str = "muscle"):
    """`n` approved questions with four options each, in two bulk inserts (not one by one)."""
    questions = Question.objects.bulk_create(
        Question(
            external_id=f"{prefix}-{i}",
            lesson=lesson,
            lesson_key=lesson.key,
            level=level,
            difficulty="easy",
            kind="single-best-answer",
            stem=f"Bulk question {i}",
            explanation="Bulk explanation.",
            status=Status.APPROVED,
            file_status=Status.APPROVED,
        )
        for i in range(n)
    )
    if questions[0].pk is None:  # backends that do not return ids from bulk_create
        questions = list(Question.objects.filter(external_id__startswith=f"{prefix}-"))
    Option.objects.bulk_create(
        Option(question=question, position=p, text=f"Option {p}", is_correct=p == 0, why="w")
        for question in questions
        for p in range(4)
    )
    return questions


def finished_case_attempt(user, *, correct: str, chosen: str, title: str = "A case", when=None):
    """A finished case attempt row, as the cases app leaves it (the summary progress reads)."""
    from django.utils import timezone

    from cases.models import Attempt, Case, CaseVersion

    slug = title.lower().replace(" ", "-")
    case, _ = Case.objects.get_or_create(
        slug=slug, defaults={"title": title, "level": correct, "difficulty": "medium"}
    )
    version, _ = CaseVersion.objects.get_or_create(
        case=case, number=1, defaults={"content_hash": slug, "definition": {}}
    )
    if case.current_version_id is None:
        case.current_version = version
        case.save()
    credit = 1.0 if chosen == correct else 0.0
    return Attempt.objects.create(
        user=user,
        case=case,
        case_version=version,
        status="finished",
        finished_at=when or timezone.now(),
        chosen_level=chosen,
        correct_level=correct,
        score_localization=credit,
        score_thoroughness=0.5,
        score_efficiency=0.5,
        score_safety=1.0,
        score_diagnosis=credit,
        score_overall=0.5 + 0.4 * credit,
    )
