"""Text that a spreadsheet shows as text: one rule for every CSV the site exports.

A cell beginning with =, +, -, @, |, %, a tab or a carriage return would be read as a formula
(CSV injection), so it gets a leading apostrophe. The gradebook (edu.cohorts.export) and the
analytics downloads (edu.analytics.exports) both write their text cells through `defuse`.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "|", "%", "\t", "\r")


def defuse(text: str) -> str:
    """The text, with an apostrophe in front when a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
