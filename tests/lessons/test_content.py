"""Loading lesson files: render once, idempotent, never lose reading progress, clear faults."""

from edu.lessons.content import lesson_keys, validate_lessons
from edu.lessons.models import Lesson, LessonProgress
from tests.factories import LearnerFactory
from tests.lessons.conftest import write_lesson


def test_load_creates_lessons_with_rendered_sanitised_html(content_dir, load):
    write_lesson(content_dir, 1, body_extra="\n<script>alert('x')</script>\n")
    assert load(content_dir) == {"created": 1}
    lesson = Lesson.objects.get()
    assert lesson.key == "weakness/lesson-1"
    assert '<sup id="fnref:1">' in lesson.body_html
    assert "<table>" in lesson.body_html
    assert "<script>" not in lesson.body_html
    assert 'href="#first-part"' in lesson.toc_html
    assert lesson.objectives == ["Name the five sites of the motor unit"]
    assert lesson.topic.title == "Weakness, placed"


def test_loading_twice_changes_nothing(content_dir, load):
    write_lesson(content_dir, 1)
    write_lesson(content_dir, 2)
    load(content_dir)
    stamps = list(Lesson.objects.values_list("updated_at", flat=True))
    assert load(content_dir) == {"unchanged": 2}
    assert list(Lesson.objects.values_list("updated_at", flat=True)) == stamps


def test_an_edited_file_updates_its_lesson_and_keeps_progress(content_dir, load):
    path = write_lesson(content_dir, 1)
    load(content_dir)
    learner = LearnerFactory()
    LessonProgress.objects.create(user=learner, lesson=Lesson.objects.get())
    path.write_text(path.read_text().replace("Intro paragraph", "Rewritten opening"))
    assert load(content_dir) == {"updated": 1}
    assert "Rewritten opening" in Lesson.objects.get().body_html
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_a_removed_file_withdraws_the_lesson_but_keeps_progress(content_dir, load):
    write_lesson(content_dir, 1)
    second = write_lesson(content_dir, 2)
    load(content_dir)
    learner = LearnerFactory()
    LessonProgress.objects.create(user=learner, lesson=Lesson.objects.get(order=2))
    second.unlink()
    assert load(content_dir) == {"unchanged": 1, "withdrawn": 1}
    assert not Lesson.objects.get(order=2).is_active
    assert LessonProgress.objects.count() == 1


def test_lesson_keys_are_topic_and_slug(content_dir):
    write_lesson(content_dir, 1)
    write_lesson(content_dir, 2, topic="other")
    assert lesson_keys(content_dir) == {"weakness/lesson-1", "other/lesson-2"}


def test_faults_name_the_file_and_field(content_dir):
    folder = content_dir / "lessons" / "weakness"
    folder.mkdir(parents=True)
    (folder / "01-none.md").write_text("no front matter\n")
    (folder / "02-open.md").write_text("+++\ntitle = 'x'\n")
    (folder / "03-bad.md").write_text(
        '+++\ntitle = "x"\nslug = "bad"\ntopic = "weakness"\n+++\nx\n'
    )
    (folder / "04-typo.md").write_text(
        '+++\ntitle = "x"\nslug = "typo"\norder = 4\ntopic = "elsewhere"\ntitel = "y"\n+++\nx\n'
    )
    messages = sorted(str(f) for f in validate_lessons(content_dir))
    assert messages == [
        "content/lessons/weakness/01-none.md: front matter: the file must start with a '+++' line",
        "content/lessons/weakness/02-open.md: front matter: no closing '+++' line",
        "content/lessons/weakness/03-bad.md: order: missing",
        "content/lessons/weakness/04-typo.md: titel: unknown field",
    ]


def test_duplicate_order_is_a_fault(content_dir):
    write_lesson(content_dir, 1)
    path = write_lesson(content_dir, 2)
    path.write_text(path.read_text().replace("order = 2", "order = 1"))
    faults = [str(f) for f in validate_lessons(content_dir)]
    assert faults == [
        "content/lessons/weakness/02-lesson-2.md: order: order 1 is also used by "
        "content/lessons/weakness/01-lesson-1.md"
    ]
