"""The document importer, called directly (no Django): what an author sees in the lessons and
draft questions it writes from plain-text page copies and Markdown documents.

The sample documents are made here, in the shape of a copied clinical overview page (furniture,
a title question, headings, nested lists, end-of-line citation numbers, a reference list that
lacks some cited numbers, a disclaimer and a call to action).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import markdown
import pytest

from edu.lessons.importer import ImportFailed, import_document, plan_import
from edu.quizzes.question_format import check_question_text, parse_question_text

PAGE_COPY = """\
How should weakness be localized?

Medical Advisory BoardAll articles are reviewed for accuracy by our Medical Advisory Board
Educational purpose only \u2022 Exercise caution as content is pending human review
Article Review Status
Submitted
Under Review
Approved

Last updated: March 3, 2025View editorial policy

Personalize

Help us tailor your experience

Which best describes you? Your choice helps us use language that's most understandable for you.

Overview of Localization

Localization means naming the level of the motor pathway where the lesion sits. 1

Bedside Clues to the Level

Several findings at the bedside point to a level:

Reflex Changes

  \u2022 Brisk reflexes: Suggest an upper motor neuron lesion 2
  \u2022 Absent reflexes: Suggest a nerve or root lesion 1, 3
  \u2022 MRC power: Recorded for each muscle, here grade 4

Sensory Findings

The sensory examination narrows the choice:

  \u2022 Glove and stocking loss: Points to a length-dependent neuropathy
  \u2022 Normal sensation: Fits junction or muscle disease 4

Levels of the Motor Pathway

The levels can be grouped by site:

  1. Anterior Horn Cell Disorders:

    \u2022 Examples: Motor neuron disease, spinal muscular atrophy
    \u2022 Features: Wasting, fasciculations, normal sensation
  2. Neuromuscular Junction Disorders:

    \u2022 Examples: Myasthenia gravis, botulism
    \u2022 Features: Fatigable weakness, ptosis and diplopia
  3. Muscle Disorders:

    \u2022 Examples: Duchenne muscular dystrophy, polymyositis
    \u2022 Features: Proximal weakness, raised creatine kinase

Common Pitfalls in Localization

  1. Trusting oxygen saturation: Saturation falls late in neuromuscular respiratory failure 3

  2. Calling tiredness weakness: Fatigue without lost strength is not weakness

  3. Forgetting the intensive care unit: Critical illness neuropathy is easily missed

  4. Ignoring the heart: Cardiac disease hides behind immobility 5

References

Guideline

Localization Handbook

Example Neurology Society, 2024

Research

Reflexes in Neuromuscular Disease

Journal of Example Neurology, 2019

Review

Respiratory Monitoring in Weakness

Example Critical Care Review, 2022

Professional Medical Disclaimer

This information is intended for healthcare professionals. It does not replace judgment.

Have a follow-up question?

Our Medical A.I. is used by doctors. Ask any follow up question and get answers instantly."""

FURNITURE_TEXTS = (
    "Medical Advisory Board",
    "pending human review",
    "Article Review Status",
    "Under Review",
    "Last updated",
    "View editorial policy",
    "Personalize",
    "tailor your experience",
    "Which best describes you",
    "Disclaimer",
    "intended for healthcare professionals",
    "follow-up question",
    "Ask any follow up question",
)

MARKDOWN_DOCUMENT = """\
# Localizing weakness

Last updated: 2024-05-01

Personalize

## Overview

**Localization** is defined as naming the level of the lesion [1].

## Bedside clues

The examination gives the level:

### Reflexes

- **Brisk reflexes:** an upper motor neuron sign [2]
- **Absent reflexes:** a nerve or root sign [1, 3]
    - checked at the ankle and knee
        - with reinforcement if needed

### Tests at a glance

| Test | Level it points to |
| --- | --- |
| Repetitive nerve stimulation | Neuromuscular junction [2] |
| Creatine kinase | Muscle |

## Levels

1. **Anterior horn cell disorders:**
    - **Examples:** motor neuron disease
    - **Features:** wasting and fasciculations
2. **Muscle disorders:**
    - **Examples:** polymyositis
    - **Features:** proximal weakness with a raised creatine kinase [4]

## References

1. Guideline. *Localization Handbook*. Example Neurology Society, 2024.
2. Research. *Reflexes in Neuromuscular Disease*. Journal of Example Neurology, 2019.
3. Review. *Respiratory Monitoring in Weakness*. Example Critical Care Review, 2022.
"""

MARKDOWN_EXTENSIONS = ["footnotes", "tables", "toc", "sane_lists"]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def front_matter(lesson_text: str) -> dict:
    _, front, _ = lesson_text.split("+++", 2)
    return tomllib.loads(front)


def body(lesson_text: str) -> str:
    return lesson_text.split("+++", 2)[2]


def html(lesson_text: str) -> str:
    return markdown.markdown(body(lesson_text), extensions=MARKDOWN_EXTENSIONS)


@pytest.fixture
def page_plan(tmp_path):
    return plan_import(write(tmp_path, "localization.txt", PAGE_COPY))


@pytest.fixture
def markdown_plan(tmp_path):
    return plan_import(write(tmp_path, "localization.md", MARKDOWN_DOCUMENT))


def lesson_text(plan, slug: str) -> str:
    return next(lesson.text for lesson in plan.lessons if lesson.slug == slug)


# Sections and lessons ------------------------------------------------------------------------


def test_page_copy_gives_one_lesson_per_top_level_section_in_order(page_plan):
    assert [lesson.filename for lesson in page_plan.lessons] == [
        "01-overview.md",
        "02-bedside-clues-to-the-level.md",
        "03-levels-of-the-motor-pathway.md",
        "04-common-pitfalls.md",
    ]
    assert [front_matter(lesson.text)["order"] for lesson in page_plan.lessons] == [1, 2, 3, 4]


def test_title_question_is_the_source_title_not_a_section(page_plan):
    titles = [front_matter(lesson.text)["title"] for lesson in page_plan.lessons]
    assert "How should weakness be localized?" not in titles
    assert {front_matter(lesson.text)["source_title"] for lesson in page_plan.lessons} == {
        "How should weakness be localized?"
    }


def test_front_matter_has_the_fields_of_the_lesson_format(page_plan):
    meta = front_matter(lesson_text(page_plan, "bedside-clues-to-the-level"))
    assert meta["title"] == "Bedside Clues to the Level"
    assert meta["slug"] == "bedside-clues-to-the-level"
    assert meta["topic"] == "localization"
    assert meta["source_updated"] == "2025-03-03"
    assert meta["objectives"] and all(isinstance(item, str) for item in meta["objectives"])
    assert "Brisk reflexes" in meta["key_terms"]


def test_sub_headings_become_level_two_headings_inside_their_section(page_plan):
    text = body(lesson_text(page_plan, "bedside-clues-to-the-level"))
    assert "\n## Reflex Changes\n" in text
    assert "\n## Sensory Findings\n" in text
    assert "Several findings at the bedside point to a level:" in text


def test_no_furniture_reaches_any_lesson(page_plan):
    for lesson in page_plan.lessons:
        for furniture in FURNITURE_TEXTS:
            assert furniture.lower() not in lesson.text.lower(), (lesson.filename, furniture)


def test_term_explanation_lines_become_bold_terms(page_plan):
    text = body(lesson_text(page_plan, "bedside-clues-to-the-level"))
    assert "- **Glove and stocking loss:** Points to a length-dependent neuropathy" in text


def test_numbered_list_keeps_its_nested_bullets(page_plan):
    text = body(lesson_text(page_plan, "levels-of-the-motor-pathway"))
    assert (
        "1. **Anterior Horn Cell Disorders:**\n"
        "    - **Examples:** Motor neuron disease, spinal muscular atrophy\n"
        "    - **Features:** Wasting, fasciculations, normal sensation\n"
        "2. **Neuromuscular Junction Disorders:**"
    ) in text
    rendered = html(lesson_text(page_plan, "levels-of-the-motor-pathway"))
    assert re.search(r"<ol>\s*<li><strong>Anterior Horn Cell Disorders:</strong>\s*<ul>", rendered)


def test_pitfalls_separated_by_blank_lines_stay_one_numbered_list(page_plan):
    article = html(lesson_text(page_plan, "common-pitfalls")).split('<div class="footnote">')[0]
    assert article.count("<ol>") == 1
    assert article.count("<li><strong>") == 4


# Citations -----------------------------------------------------------------------------------


def test_end_of_line_citation_numbers_become_footnotes_with_the_reference(page_plan):
    text = lesson_text(page_plan, "bedside-clues-to-the-level")
    assert "Suggest an upper motor neuron lesion[^2]" in text
    assert "Suggest a nerve or root lesion[^1][^3]" in text
    assert (
        "[^2]: Research. *Reflexes in Neuromuscular Disease*. Journal of Example Neurology, 2019."
        in text
    )
    assert "[^3]: Review. *Respiratory Monitoring in Weakness*." in text


def test_quantity_at_the_end_of_a_line_is_not_taken_for_a_citation(page_plan):
    text = lesson_text(page_plan, "bedside-clues-to-the-level")
    assert "Recorded for each muscle, here grade 4\n" in text


def test_citation_missing_from_the_references_is_kept_visible_and_reported(page_plan):
    text = lesson_text(page_plan, "bedside-clues-to-the-level")
    assert "Fits junction or muscle disease[^4]" in text
    assert "[^4]: Reference 4 is cited by the source but not listed in its references." in text
    reported = [str(notice) for notice in page_plan.notices if "citation 4" in str(notice)]
    assert reported == [
        f"{page_plan.source}:37: citation 4 has no matching reference; kept as an "
        "unresolved footnote"
    ]
    assert page_plan.unresolved_citations == (4, 5)


def test_every_footnote_marker_has_a_definition_that_renders(page_plan):
    for lesson in page_plan.lessons:
        markers = set(re.findall(r"\[\^(\d+)\](?!:)", body(lesson.text)))
        defined = set(re.findall(r"^\[\^(\d+)\]:", body(lesson.text), re.MULTILINE))
        assert markers == defined, lesson.filename
        if markers:
            assert 'class="footnote"' in html(lesson.text)


# Markdown sources ----------------------------------------------------------------------------


def test_markdown_sections_are_the_level_two_headings_under_a_single_title(markdown_plan):
    assert [lesson.slug for lesson in markdown_plan.lessons] == [
        "overview",
        "bedside-clues",
        "levels",
    ]
    meta = front_matter(markdown_plan.lessons[0].text)
    assert meta["source_title"] == "Localizing weakness"
    assert meta["source_updated"] == "2024-05-01"
    assert "Personalize" not in markdown_plan.lessons[0].text


def test_markdown_tables_stay_tables_with_their_citations(markdown_plan):
    text = lesson_text(markdown_plan, "bedside-clues")
    assert "| Repetitive nerve stimulation | Neuromuscular junction[^2] |" in text
    rendered = html(text)
    assert "<table>" in rendered and "<td>Creatine kinase</td>" in rendered


def test_markdown_nesting_three_levels_deep_survives(markdown_plan):
    text = lesson_text(markdown_plan, "bedside-clues")
    assert (
        "- **Absent reflexes:** a nerve or root sign[^1][^3]\n"
        "    - checked at the ankle and knee\n"
        "        - with reinforcement if needed\n"
    ) in text
    assert html(text).count("<ul>") == 3


def test_markdown_bracket_citations_resolve_against_the_references_section(markdown_plan):
    text = lesson_text(markdown_plan, "overview")
    assert "naming the level of the lesion[^1]." in text
    assert "[^1]: Guideline. *Localization Handbook*. Example Neurology Society, 2024." in text
    levels = lesson_text(markdown_plan, "levels")
    assert "[^4]: Reference 4 is cited by the source but not listed in its references." in levels


def test_several_top_headings_are_all_sections(tmp_path):
    document = "# First part\n\nSome text.\n\n# Second part\n\n- an item\n- another item\n"
    plan = plan_import(write(tmp_path, "parts.md", document))
    assert [lesson.slug for lesson in plan.lessons] == ["first-part", "second-part"]
    assert front_matter(plan.lessons[0].text)["source_title"] == "Parts"


# Heading structure in plain text -------------------------------------------------------------


def test_flat_document_makes_every_heading_a_section(tmp_path):
    document = (
        "Notes on weakness\n\nFirst Topic\n\nA sentence about it.\n\n"
        "Second Topic\n\nAnother sentence.\n\nThird Topic\n\n  \u2022 a point\n  \u2022 another\n"
    )
    plan = plan_import(write(tmp_path, "notes.txt", document))
    assert [lesson.slug for lesson in plan.lessons] == [
        "first-topic",
        "second-topic",
        "third-topic",
    ]


def test_heading_with_no_content_of_its_own_gathers_the_headings_after_it(tmp_path):
    document = (
        "Notes on weakness\n\n"
        "Assessment of the Weak Patient\n\nStart with the history.\n\n"
        "Special Situations\n\n"
        "Breathing\n\n  \u2022 measure vital capacity\n\n"
        "Swallowing\n\n  \u2022 watch a sip of water\n\n"
        "Treatment of the Underlying Cause\n\nTreat what you find.\n"
    )
    plan = plan_import(write(tmp_path, "notes.txt", document))
    assert [lesson.slug for lesson in plan.lessons] == [
        "assessment-of-the-weak-patient",
        "special-situations",
        "treatment-of-the-underlying-cause",
    ]
    special = body(lesson_text(plan, "special-situations"))
    assert "## Breathing" in special and "## Swallowing" in special


def test_first_line_of_a_copy_is_the_title_even_when_it_looks_like_a_heading(tmp_path):
    document = "Weakness Notes\n\nDefinition\n\nWeakness is lost strength.\n"
    plan = plan_import(write(tmp_path, "notes.txt", document))
    assert [lesson.slug for lesson in plan.lessons] == ["definition"]
    assert front_matter(plan.lessons[0].text)["source_title"] == "Weakness Notes"


def test_unlisted_banner_before_the_article_is_dropped_with_a_notice(tmp_path):
    document = "A title\n\nBrought to you by Example Labs!\n\nOverview\n\nThe text.\n"
    plan = plan_import(write(tmp_path, "page.txt", document))
    assert "Example Labs" not in plan.lessons[0].text
    assert any("dropped text before the first section" in str(n) for n in plan.notices)


def test_tab_separated_lines_become_a_table(tmp_path):
    document = (
        "Tests\n\nBedside Tests\n\nSome tests help:\n\n"
        "Test\tLevel\nIce pack\tJunction\nCK\tMuscle\n"
    )
    plan = plan_import(write(tmp_path, "tests.txt", document))
    text = plan.lessons[0].text
    assert "| Test | Level |\n| --- | --- |\n| Ice pack | Junction |" in text


# Objectives and key terms --------------------------------------------------------------------


def test_objectives_come_from_the_section_structure(page_plan):
    assert front_matter(lesson_text(page_plan, "levels-of-the-motor-pathway"))["objectives"] == [
        "Name the examples and features of anterior horn cell disorders",
        "Name the examples and features of neuromuscular junction disorders",
        "Name the examples and features of muscle disorders",
    ]
    pitfalls = front_matter(lesson_text(page_plan, "common-pitfalls"))["objectives"]
    assert pitfalls[0] == "Avoid trusting oxygen saturation"


def test_repeated_field_labels_are_not_key_terms(page_plan):
    key_terms = front_matter(lesson_text(page_plan, "levels-of-the-motor-pathway"))["key_terms"]
    assert "Anterior horn cell disorders" in key_terms
    assert "Examples" not in key_terms and "Features" not in key_terms


# Draft questions -----------------------------------------------------------------------------


def drafts_text(plan) -> str:
    return next(file.text for file in plan.files if file.path.parts[0] == "questions")


def test_draft_question_file_passes_the_question_bank_checker(page_plan):
    lessons = {f"localization/{lesson.slug}" for lesson in page_plan.lessons}
    assert check_question_text(drafts_text(page_plan), "drafts.toml", lessons) == []


def test_each_described_level_becomes_one_vignette_draft(page_plan):
    questions = parse_question_text(drafts_text(page_plan)).questions
    assert [q.level for q in questions] == [
        "anterior-horn-cell",
        "neuromuscular-junction",
        "muscle",
    ]
    junction = questions[1]
    assert junction.stem == (
        "A patient is examined for weakness. On examination and testing: fatigable weakness, "
        "ptosis and diplopia. Which site of the motor unit is most likely affected?"
    )
    assert junction.answer.text == "Neuromuscular junction"
    assert junction.lesson == "localization/levels-of-the-motor-pathway"


def test_no_draft_stem_contains_its_key_or_an_example(page_plan):
    for question in parse_question_text(drafts_text(page_plan)).questions:
        stem = question.stem.casefold()
        assert question.answer.text.casefold() not in stem
        for example in ("myasthenia", "botulism", "motor neuron disease", "duchenne"):
            assert example not in stem


def test_distractors_are_the_neighbouring_levels(page_plan):
    junction = parse_question_text(drafts_text(page_plan)).questions[1]
    assert [option.text for option in junction.options] == [
        "Nerve root",
        "Peripheral nerve",
        "Neuromuscular junction",
        "Muscle",
        "Not weakness",
    ]


def test_explanations_say_what_separates_the_neighbours(page_plan):
    junction = parse_question_text(drafts_text(page_plan)).questions[1]
    # The document's own features for a level it describes, a known signature for the others.
    assert "muscle would show proximal weakness, raised creatine kinase" in junction.explanation
    assert "not weakness would show tiredness with normal power" in junction.explanation
    muscle = next(option for option in junction.options if option.text == "Muscle")
    assert muscle.why == "Proximal weakness, raised creatine kinase would point here instead."


def test_examples_are_named_only_as_examples_of_the_level(page_plan):
    junction = parse_question_text(drafts_text(page_plan)).questions[1]
    assert junction.explanation.endswith(
        "The document's examples at this level: myasthenia gravis and botulism."
    )


def test_pitfall_lists_make_no_drafts(page_plan):
    questions = parse_question_text(drafts_text(page_plan)).questions
    assert not [q for q in questions if q.lesson == "localization/common-pitfalls"]


def test_a_draft_whose_stem_names_its_answer_is_dropped_with_a_notice(tmp_path):
    document = MARKDOWN_DOCUMENT.replace(
        "**Features:** wasting and fasciculations",
        "**Features:** wasting from loss of anterior horn cells",
    )
    plan = plan_import(write(tmp_path, "localization.md", document))
    levels = [q.level for q in parse_question_text(drafts_text(plan)).questions]
    assert levels == ["muscle"]
    assert any(
        "draft question 'draft-localization-level-anterior-horn-cell-disorders' dropped: its "
        "stem names its answer ('Anterior horn cell')" in notice.message
        for notice in plan.notices
    )


def test_every_draft_is_a_draft_with_a_unique_stable_id(tmp_path, page_plan):
    questions = parse_question_text(drafts_text(page_plan)).questions
    assert {question.status for question in questions} == {"draft"}
    ids = [question.id for question in questions]
    assert len(ids) == len(set(ids))
    again = plan_import(write(tmp_path, "again/localization.txt", PAGE_COPY))
    assert [q.id for q in parse_question_text(drafts_text(again)).questions] == ids


def test_a_group_spanning_root_and_nerve_never_offers_the_root_as_a_wrong_answer(tmp_path):
    document = MARKDOWN_DOCUMENT.replace(
        "2. **Muscle disorders:**",
        "2. **Nerve root and peripheral nerve disorders:**\n"
        "    - **Examples:** Guillain-Barré syndrome\n"
        "    - **Features:** areflexia\n"
        "3. **Muscle disorders:**",
    )
    plan = plan_import(write(tmp_path, "localization.md", document))
    questions = parse_question_text(drafts_text(plan)).questions
    gbs = next(q for q in questions if "areflexia" in q.stem)
    assert gbs.answer.text == "Peripheral nerve"
    assert "Nerve root" not in [option.text for option in gbs.options]


# Writing -------------------------------------------------------------------------------------


def test_importing_twice_changes_nothing(tmp_path):
    source = write(tmp_path, "localization.txt", PAGE_COPY)
    first = import_document(source, root=tmp_path / "content")
    second = import_document(source, root=tmp_path / "content")
    assert {file.outcome for file in first.files} == {"written"}
    assert {file.outcome for file in second.files} == {"unchanged"}
    assert len(second.files) == 5  # four lessons and the draft question file
    assert (tmp_path / "content/questions/localization-drafts.toml").is_file()


def test_a_failed_import_leaves_the_content_folder_as_it_was(tmp_path):
    root = tmp_path / "content"
    import_document(write(tmp_path, "localization.txt", PAGE_COPY), root=root)
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    broken = write(tmp_path, "broken/localization.txt", PAGE_COPY.encode() + b"\xff\xfe")
    with pytest.raises(ImportFailed):
        import_document(broken, root=root)
    after = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert after == before


def test_lessons_no_longer_produced_are_reported_not_deleted(tmp_path):
    root = tmp_path / "content"
    stale = root / "lessons/localization/09-old-section.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("+++\n+++\n", encoding="utf-8")
    report = import_document(write(tmp_path, "localization.txt", PAGE_COPY), root=root)
    assert report.stale == (stale,)
    assert stale.exists()


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ":1: the document is empty"),
        (b"   \n\n  \n", ":1: the document is empty"),
        (b"\xef\xbb\xbf", ":1: the document is empty"),
        (b"Title\n\nIntro\x00\x01binary", ":3: binary data (a NUL byte at byte 12)"),
        (b"Title\n\nHeading\n\nText \xe9t\xe9\n", ":5: not UTF-8 text: byte 0xe9 at byte 21"),
        (b"\xff\xfeT\x00i\x00", ":1: UTF-16 text is not supported"),
        (b"Just one sentence of prose.\nAnd another one.\n", ":1: no sections found"),
        (b"Title\n\nText with a bell \x07 in it\n", ":3: binary data (control character U+0007)"),
    ],
)
def test_bad_documents_fail_with_file_and_line(tmp_path, content, expected):
    source = write(tmp_path, "bad.txt", content)
    with pytest.raises(ImportFailed) as failure:
        plan_import(source)
    assert str(failure.value).startswith(f"{source}{expected}")


def test_markdown_without_headings_fails_with_file_and_line(tmp_path):
    source = write(tmp_path, "flat.md", "\n\nNo headings here, only prose.\n")
    with pytest.raises(ImportFailed, match=r"flat\.md:3: no sections found"):
        plan_import(source)


def test_byte_order_mark_is_accepted(tmp_path):
    plan = plan_import(write(tmp_path, "localization.txt", b"\xef\xbb\xbf" + PAGE_COPY.encode()))
    assert len(plan.lessons) == 4


def test_unsupported_document_type_is_refused(tmp_path):
    with pytest.raises(ImportFailed, match=r"unsupported document type '\.png'"):
        plan_import(write(tmp_path, "photo.png", "just text"))


def test_sections_with_the_same_title_get_distinct_lessons(tmp_path):
    document = "Title\n\nCauses\n\nText one.\n\nCauses\n\nText two.\n"
    plan = plan_import(write(tmp_path, "notes.txt", document))
    assert [lesson.filename for lesson in plan.lessons] == ["01-causes.md", "02-causes-2.md"]
    assert any("two sections share the slug 'causes'" in str(n) for n in plan.notices)


def test_heading_shaped_chrome_before_the_article_is_not_a_lesson(tmp_path):
    document = """What is foot drop?

Sponsored by Acme Braces

Trusted Health Network

Definition of Foot Drop

Foot drop is weak ankle dorsiflexion from a lesion of the common peroneal nerve or L5 root. 1

Causes

Compression at the fibular head is common:

  • Crossed legs: prolonged pressure on the nerve 1
  • Weight loss: less padding over the fibular head

References

Guideline

Foot Drop Overview

Editors, 2024
"""
    plan = plan_import(write(tmp_path, "foot-drop.txt", document))
    assert [lesson.title for lesson in plan.lessons] == ["Definition of Foot Drop", "Causes"]
    assert "Sponsored" not in "".join(lesson.text for lesson in plan.lessons)
    assert any(notice.line == 3 and "no content" in notice.message for notice in plan.notices), [
        str(n) for n in plan.notices
    ]
