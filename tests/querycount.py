"""Pin a page's query count and show it does not grow with the data.

A count alone proves little: a redirect to the sign-in page, or an error page, makes fewer
queries than the page and would pass. So a fetch should return its response, and the helper
then checks it is the page: the expected status (200 unless told) and a `landmark`, a piece of
the page's own content such as its `<h1>`. `page(client, url, landmark=...)` builds such a
fetch. Fetches that return nothing (older tests asserting their own response) still work.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def page(
    client, url: str, *, landmark: str, status: int = 200, method: str = "get", **request
) -> Callable:
    """A fetch of `url` that returns its response and carries the landmark the response must
    show; `assert_constant_queries` checks both status and landmark."""

    def fetch():
        return getattr(client, method)(url, **request)

    fetch.landmark = landmark
    fetch.status = status
    return fetch


def check_is_the_page(response, *, status: int, landmark: str | None, where: str) -> None:
    """Fails unless `response` has `status` and (when given) contains `landmark`."""
    assert response.status_code == status, (
        f"{where}: expected status {status}, got {response.status_code}"
        + (f" (redirect to {response['Location']})" if response.has_header("Location") else "")
    )
    if landmark is not None:
        text = response.content.decode(errors="replace")
        assert landmark in text, f"{where}: the page lacks its landmark {landmark!r}"


def assert_constant_queries(
    fetch,
    grow,
    *,
    expected: int | None = None,
    status: int | None = None,
    landmark: str | None = None,
) -> int:
    """Call `fetch`, `grow` the data, fetch again.

    Fails if the second fetch made a different number of queries, listing both runs' SQL, and,
    when `expected` is given, if the count is not exactly that. When `fetch` returns its
    response, each response must have `status` (default: the fetch's own, else 200) and
    contain `landmark` (default: the fetch's own, from `page`). Returns the count.
    """
    status = status if status is not None else getattr(fetch, "status", 200)
    landmark = landmark if landmark is not None else getattr(fetch, "landmark", None)
    responses = []
    with CaptureQueriesContext(connection) as small:
        responses.append(fetch())
    grow()
    with CaptureQueriesContext(connection) as large:
        responses.append(fetch())
    for when, response in zip(("before growing", "after growing"), responses, strict=True):
        if response is None:
            assert landmark is None, "to check a landmark, the fetch must return its response"
            continue
        check_is_the_page(response, status=status, landmark=landmark, where=when)
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
