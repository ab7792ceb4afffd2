"""The one CSV-injection rule every export uses."""

import pytest

from edu.spreadsheets import defuse


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "|", "%", "\t", "\r"])
def test_a_cell_that_would_start_a_formula_is_kept_as_text(start):
    assert defuse(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


@pytest.mark.parametrize("text", ["Ana Test", "", "100%", "a=b"])
def test_ordinary_text_is_left_as_it_is(text):
    assert defuse(text) == text
