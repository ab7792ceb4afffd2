"""The line and the plain words an author reads for each kind of TOML syntax slip.

tomllib says where its parser gave up; `explain` names the line where the mistake was made and
says what to do. Each text below is a realistic slip, fed through tomllib itself, so the
message is the one the parser really gives; the expected line is the one an author must fix.
"""

from __future__ import annotations

import tomllib

import pytest

from cases.engine.toml_errors import explain

ONE_LINE = (
    'a text opened with " on this line is not closed before the line ends; add the closing ", '
    'or use """ for text over several lines'
)
ONE_LINE_SINGLE = ONE_LINE.replace('"', "'").replace("'''", '"""')
TRIPLE = 'a text opened with """ on this line is never closed; end it with """'
TRIPLE_SINGLE = "a text opened with ''' on this line is never closed; end it with '''"
OPEN_LIST = "a list opened with [ on this line is never closed ]"
BAD_VALUE = (
    "the value after '=' is not valid: put text in quotes, lists in [ ], and write "
    "true or false in lower case"
)
DUPLICATE_KEY = "this key is already set earlier in the same table"
NOT_A_STATEMENT_END = "expected newline or end of document after a statement"


def explained(text: str) -> tuple[int, str]:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    fault = explain(str(caught.value), text)
    return fault.line, fault.message


@pytest.mark.parametrize(
    "text,line,message",
    [
        # Each message tomllib gives, in the author's words, at the line of the slip.
        ("a = 1\n[t]\nx = 1\n[t]\ny = 2\n", 4, "this table is declared a second time"),
        ("a = 1\na = 2\n", 2, DUPLICATE_KEY),
        ('title = "x"\nkey value\n', 2, "expected '=' after the key (write: key = value)"),
        ("[table\nx = 1\n", 1, "a table header must end with ']'"),
        (
            'a = 1\nb = "C:\\q"\n',
            2,
            "a backslash in \"...\" starts an escape; write \\\\ or use '...' quotes",
        ),
        ("a = 1\nb = True\n", 2, BAD_VALUE),
        # A message without its own wording is shown as tomllib says it, in lower case.
        ("a = 1\n= 2\n", 2, "invalid statement"),
        ("[[t", 1, "expected ']]' at the end of an array declaration"),
        ("a = 1\nb = {c = 1", 2, "unclosed inline table"),
    ],
)
def test_each_syntax_slip_is_named_in_plain_words_at_its_line(text, line, message):
    assert explained(text) == (line, message)


@pytest.mark.parametrize(
    "text,line,message",
    [
        ('"open = 1\n', 1, ONE_LINE),  # the very first character opens the text
        ('a = 1\nb = "open\nc = 2\n', 2, ONE_LINE),
        ('a = 1\nb = "open', 2, ONE_LINE),  # reported at the end of the document
        ('a = 1\nb = """open\nmore\nc = 2\n', 2, TRIPLE),
        ("a = 1\nb = '''open\nmore\n", 2, TRIPLE_SINGLE),
        ("b = 'x\nc = 1\n", 1, ONE_LINE_SINGLE),
        ('a = "x" "y\n', 1, ONE_LINE),  # the parser trips on the second text of the line
        # What comes before the open text must not hide it or move its line.
        ('[t]\nb = "open\n', 2, ONE_LINE),
        ('# a comment\nb = "open\n', 2, ONE_LINE),
        ('# c\nb = "open\n', 2, ONE_LINE),
        ('a = 1\nXray = "open\n', 2, ONE_LINE),
        ('a = """x\ny"""\nb = "open\n', 3, ONE_LINE),
        ('a = 1\nb = """x\ny"""\nc = "open\n', 4, ONE_LINE),
    ],
)
def test_an_unclosed_text_is_reported_where_it_opened(text, line, message):
    assert explained(text) == (line, message)


@pytest.mark.parametrize(
    "text,line,message",
    [
        ("a = [1,\n  2,\n[t]\nx = 1\n", 1, OPEN_LIST),  # tomllib trips at the table, line 3
        ("x = 1\na = [1, 2", 2, OPEN_LIST),  # "Unclosed array" on the list's own line
        ("a = [[1, 2], [3,\nb = 1\n", 1, OPEN_LIST),
        ("a =\t[1,\r\n2\n", 1, OPEN_LIST),
        # Brackets and quotes inside comments, texts and headers open nothing.
        (
            "# [ not a list\n[t] # header [\na = [ # c [\n  \"x]\", 'y[',\n  1\nb = 2\n",
            3,
            OPEN_LIST,
        ),
        ('a = "say \\"hi"\nb = [1,\n', 2, OPEN_LIST),
    ],
)
def test_an_unclosed_list_is_reported_where_it_opened(text, line, message):
    assert explained(text) == (line, message)


@pytest.mark.parametrize(
    "text,line,message",
    [
        # Closed lists, nested or not, and a nested list on a line of its own.
        ("a = [1]\nb = = 1\n", 2, BAD_VALUE),
        ("a = [[1], [2]]\nb = = 1\n", 2, BAD_VALUE),
        ("a = [\n  [1, 2]]\nb = = 1\n", 3, BAD_VALUE),
        ("# see [1\na = 1\na = 2\n", 3, DUPLICATE_KEY),
        # Texts that close: an escaped backslash, a literal text ending in a backslash.
        ('a = "x\\\\"\nb = "x" "y"\n', 2, NOT_A_STATEMENT_END),
        ('a = \'C:\\\'\nb = "x" "y"\n', 2, NOT_A_STATEMENT_END),
        # The last line without a newline: a header, a comment.
        ("a = 1\na = 2\n[t]", 2, DUPLICATE_KEY),
        ("a = 1\na = 2\n# last", 2, DUPLICATE_KEY),
        # An open text after the slip is not blamed for it.
        ('a = = 1\nb = "x\n', 1, BAD_VALUE),
        # A closing quote without its opening one is a bad value, not an open text.
        ('title = Weak legs"\n', 1, BAD_VALUE),
    ],
)
def test_what_is_closed_is_not_blamed(text, line, message):
    assert explained(text) == (line, message)
