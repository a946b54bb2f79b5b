"""Checks that a list page sorts by its columns (permanence.core.sorting), for each list's tests."""


def assert_sorted_by(rows, value, descending: bool, what: str = "") -> None:
    """`rows` (records with a pk) are in `value`'s order, nulls last either way, ties broken by pk (the same way)."""
    values = [(value(r), r.pk) for r in rows]
    present = [v for v in values if v[0] is not None]
    absent = [v for v in values if v[0] is None]
    expected = sorted(present, reverse=descending) + sorted(absent, key=lambda v: v[1], reverse=descending)
    assert values == expected, f"{what}: not sorted {'descending' if descending else 'ascending'}: {values}"


def exported_references(client, export_url: str, params: dict) -> list[str]:
    """The first column (the reference) of a list's CSV download, asked with the list's query string."""
    import csv
    import io

    response = client.get(export_url, params)
    assert response.status_code == 200, (export_url, params, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return [row[0] for row in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]]


def check_list_sorts(client, url: str, sorts: dict, rows_of, *, default: str, min_distinct: int = 2,
                     export_url: str | None = None) -> None:
    """A list page sorted by each of its whitelisted keys (`sorts`: key → the value a row sorts by) both ways:
    the rows come in that order (with enough distinct values to show it), the header of the column in use says
    so with aria-sort, a bad key or order gives the default order (not an error), and the page's query count is
    the same whatever it is sorted by. With `export_url`, its CSV download asked with the same query string has
    the page's rows in the page's order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        response = client.get(url)
    assert response.status_code == 200
    default_rows = [r.pk for r in rows_of(response.context)]
    for key, value in sorts.items():
        for order in ("ascending", "descending"):
            with CaptureQueriesContext(connection) as sorted_queries:
                response = client.get(url, {"sort": key, "order": order})
            assert response.status_code == 200, (key, order)
            rows = list(rows_of(response.context))
            assert len({value(r) for r in rows}) >= min_distinct, f"{url} {key}: the data cannot show an order"
            assert_sorted_by(rows, value, order == "descending", f"{url} sort={key}")
            assert f'aria-sort="{order}"' in response.content.decode(), (key, order)
            assert len(sorted_queries) == len(plain), (key, order, len(sorted_queries), len(plain))
            if export_url is not None:
                exported = exported_references(client, export_url, {"sort": key, "order": order})
                assert exported[:len(rows)] == [r.reference for r in rows], f"{export_url} sort={key} {order}"
            if (f"-{key}" if order == "descending" else key) == default:
                assert [r.pk for r in rows] == default_rows, f"{url}: the default order is not {default}"
    for bad in ({"sort": "password"}, {"sort": "__class__", "order": "descending"}, {"sort": "pk"},
                {"sort": next(iter(sorts)), "order": "sideways'"}, {"order": "descending"}):
        response = client.get(url, bad)
        assert response.status_code == 200, bad
        got = [r.pk for r in rows_of(response.context)]
        if "order" not in bad or bad.get("sort") not in sorts:
            assert got == default_rows, bad
