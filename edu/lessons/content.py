"""Lesson files on disk <-> Lesson rows: validation, the lesson keys, and loading.

A lesson file is `content/lessons/<topic>/NN-<slug>.md`: TOML front matter between `+++` lines,
then Markdown. Loading renders the Markdown once and stores it; a lesson whose file is gone is
withdrawn (hidden), never deleted, so reading progress survives.
"""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cases.engine.faults import Fault

from .models import Lesson, Topic
from .rendering import RENDERING_VERSION, render_lesson

REQUIRED = {"title": str, "slug": str, "order": int, "topic": str}
OPTIONAL = {
    "objectives": list,
    "key_terms": list,
    "source_title": str,
    "source_updated": str,
}


@dataclass(frozen=True)
class LessonFile:
    path: Path
    meta: dict
    body: str
    content_hash: str

    @property
    def key(self) -> str:
        return f"{self.meta['topic']}/{self.meta['slug']}"


def lesson_paths(content_dir: Path) -> list[Path]:
    return sorted((Path(content_dir) / "lessons").glob("*/*.md"))


def read_lesson_file(path: Path, shown: str) -> tuple[LessonFile | None, list[Fault]]:
    """Parse one lesson file; `shown` is the path printed in faults."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Fault(shown, "file", f"not UTF-8 text (byte {exc.start})")]
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        return None, [Fault(shown, "front matter", "the file must start with a '+++' line")]
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "+++")
    except StopIteration:
        return None, [Fault(shown, "front matter", "no closing '+++' line")]
    try:
        meta = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as exc:
        return None, [Fault(shown, "front matter", f"TOML error: {exc} (file line offset 1)")]
    faults = []
    for name, kind in REQUIRED.items():
        if name not in meta:
            faults.append(Fault(shown, name, "missing"))
        elif not isinstance(meta[name], kind):
            faults.append(Fault(shown, name, f"must be a {kind.__name__}"))
    for name, kind in OPTIONAL.items():
        if name in meta and not isinstance(meta[name], kind):
            faults.append(Fault(shown, name, f"must be a {kind.__name__}"))
    for name in sorted(set(meta) - set(REQUIRED) - set(OPTIONAL)):
        faults.append(Fault(shown, name, "unknown field"))
    if not faults:
        if meta["topic"] != path.parent.name:
            faults.append(
                Fault(
                    shown,
                    "topic",
                    f"'{meta['topic']}' differs from its folder '{path.parent.name}'",
                )
            )
        if not path.stem.endswith(meta["slug"]):
            faults.append(Fault(shown, "slug", f"'{meta['slug']}' does not match the file name"))
    body = "\n".join(lines[end + 1 :]).strip() + "\n"
    if body.strip() == "":
        faults.append(Fault(shown, "body", "the lesson has no text"))
    if faults:
        return None, faults
    # The rendering version is part of the digest: a change to how lessons render re-renders them.
    digest = hashlib.sha256((RENDERING_VERSION + "\n" + text).encode("utf-8")).hexdigest()
    return LessonFile(path=path, meta=meta, body=body, content_hash=digest), []


def _shown(path: Path, content_dir: Path) -> str:
    try:
        return str(Path("content") / path.relative_to(content_dir))
    except ValueError:
        return str(path)


def read_all(content_dir: Path) -> tuple[list[LessonFile], list[Fault]]:
    content_dir = Path(content_dir)
    files, faults, seen = [], [], {}
    for path in lesson_paths(content_dir):
        shown = _shown(path, content_dir)
        lesson, found = read_lesson_file(path, shown)
        faults.extend(found)
        if lesson is None:
            continue
        for field in ("slug", "order"):
            mark = (lesson.meta["topic"], field, lesson.meta[field])
            if mark in seen:
                faults.append(
                    Fault(
                        shown, field, f"{field} {lesson.meta[field]!r} is also used by {seen[mark]}"
                    )
                )
            seen.setdefault(mark, shown)
        files.append(lesson)
    return files, faults


def lesson_keys(content_dir: Path) -> set[str]:
    """The "<topic>/<slug>" keys that cases and questions may point at."""
    files, _ = read_all(content_dir)
    return {lesson.key for lesson in files}


def validate_lessons(content_dir: Path) -> list[Fault]:
    return read_all(content_dir)[1]


def load_lessons(content_dir: Path, report) -> None:
    files, faults = read_all(content_dir)
    if faults:  # load_content validates first; this guards direct callers
        raise ValueError("; ".join(map(str, faults)))
    topics: dict[str, Topic] = {}
    existing = {
        (lesson.topic.slug, lesson.slug): lesson
        for lesson in Lesson.objects.select_related("topic")
    }
    loaded = set()
    for lesson_file in files:
        meta = lesson_file.meta
        topic = topics.get(meta["topic"])
        if topic is None:
            topic, _ = Topic.objects.get_or_create(
                slug=meta["topic"], defaults={"title": meta["topic"].replace("-", " ").capitalize()}
            )
            source_title = meta.get("source_title", "")
            if source_title and topic.source_title != source_title:
                topic.source_title = source_title
                topic.title = source_title
                topic.source_updated = meta.get("source_updated", "")
                topic.save()
            topics[meta["topic"]] = topic
        key = (meta["topic"], meta["slug"])
        loaded.add(key)
        lesson = existing.get(key)
        if lesson and lesson.content_hash == lesson_file.content_hash and lesson.is_active:
            report.add("lessons", "unchanged")
            continue
        body_html, toc_html = render_lesson(lesson_file.body)
        fields = {
            "title": meta["title"],
            "order": meta["order"],
            "objectives": meta.get("objectives", []),
            "key_terms": meta.get("key_terms", []),
            "body_markdown": lesson_file.body,
            "body_html": body_html,
            "toc_html": toc_html,
            "source_path": str(lesson_file.path.name),
            "content_hash": lesson_file.content_hash,
            "is_active": True,
        }
        if lesson is None:
            Lesson.objects.create(topic=topic, slug=meta["slug"], **fields)
            report.add("lessons", "created")
        else:
            for name, value in fields.items():
                setattr(lesson, name, value)
            lesson.save()
            report.add("lessons", "updated")
    for key, lesson in existing.items():
        if key not in loaded and lesson.is_active:
            lesson.is_active = False
            lesson.save(update_fields=["is_active", "updated_at"])
            report.add("lessons", "withdrawn")
