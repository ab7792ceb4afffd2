"""A lesson table sits in a focusable, named region, so a table wider than a phone can be
scrolled sideways from the keyboard (the region is added after sanitising, which refuses
tabindex and role in what authors write)."""

import re

from edu.lessons.rendering import render_lesson

TWO_TABLES = """
| Level | Reflexes |
|---|---|
| Nerve root | Reduced in its segment |

Between the tables.

| Level | Sensation |
|---|---|
| Muscle | Normal |
"""


def test_each_table_is_wrapped_in_its_own_named_focusable_region():
    html, _toc = render_lesson(TWO_TABLES)
    regions = re.findall(r'<div class="table-scroll" ([^>]*)><table>', html)
    assert regions == [
        'tabindex="0" role="region" aria-label="Table 1"',
        'tabindex="0" role="region" aria-label="Table 2"',
    ]
    assert html.count("</table></div>") == 2
    assert "<p>Between the tables.</p>" in html


def test_authored_tabindex_and_role_are_still_refused():
    html, _toc = render_lesson('<div tabindex="0" role="button">Not a region</div>')
    assert "tabindex" not in html
    assert "role" not in html
