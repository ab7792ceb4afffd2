"""A pytest plugin for mutation runs only: property tests try fewer, fixed examples.

mutmut runs every test that reaches a mutated function, once per mutant. The property tests
(hypothesis) try a hundred random examples each and take most of the suite's time, so under
mutation they would dominate it, and random examples could kill a mutant in one run and not
the next. This profile, loaded by `-p tests.mutation.hypothesis_profile` in mutmut's pytest
arguments (pyproject.toml), keeps them but with 15 derandomised examples.
"""

from hypothesis import settings


def pytest_configure(config):
    settings.register_profile(
        "mutation", parent=settings.get_profile("project"), max_examples=15, derandomize=True
    )
    settings.load_profile("mutation")
