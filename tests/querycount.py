"""Pin a page's query count and show it does not grow with the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_constant_queries(fetch, grow, *, expected: int | None = None) -> int:
    """Call `fetch` (which asserts its own response), `grow` the data, fetch again.

    Fails if the second fetch made a different number of queries, listing both runs' SQL, and,
    when `expected` is given, if the count is not exactly that. Returns the count.
    """
    with CaptureQueriesContext(connection) as small:
        fetch()
    grow()
    with CaptureQueriesContext(connection) as large:
        fetch()
    n_small, n_large = len(small.captured_queries), len(large.captured_queries)
    if n_small != n_large:
        sql = lambda ctx: "\n".join(q["sql"] for q in ctx.captured_queries)  # noqa: E731
        raise AssertionError(
            f"query count grew with the data: {n_small} -> {n_large}\n"
            f"--- small ---\n{sql(small)}\n--- large ---\n{sql(large)}"
        )
    if expected is not None:
        assert n_small == expected, f"expected {expected} queries, made {n_small}"
    return n_small
