"""The benchmark's verdicts (bench/report.py) against the issue's targets: what the README's
performance section reports as met or missed comes from here."""

from bench.report import growth, table, verdict


def _row(endpoint="visit log, first page", baseline="select", **figures):
    row = {
        "endpoint": endpoint,
        "baseline": baseline,
        "rps": 100.0,
        "p50_ms": 5.0,
        "p95_ms": 10.0,
        "p99_ms": 12.0,
        "errors": 0,
        "baseline_rps": 200.0,
        "ratio": 0.5,
        "p95_ratio": 2.0,
        "short_p95_ms": 10.0,
    }
    row.update(figures)
    return row


def test_registration_needs_half_the_bare_inserts_rate():
    assert verdict(_row("kiosk registration POST", "insert", ratio=0.5)) == "met"
    assert verdict(_row("kiosk registration POST", "insert", ratio=0.49)).startswith("missed")


def test_work_orders_under_eight_clients_need_forty_percent():
    assert verdict(_row("work-order creation, 8 clients", "insert", ratio=0.4)) == "met"
    assert verdict(_row("work-order creation, 8 clients", "insert", ratio=0.39)).startswith("missed")


def test_a_write_without_a_target_has_no_verdict():
    assert verdict(_row("patrol answer (tablet)", "insert", ratio=0.1)) == "-"


def test_a_list_is_held_to_two_and_a_half_times_the_bare_selects_p95():
    assert verdict(_row(p95_ratio=2.5)) == "met"
    assert verdict(_row(p95_ratio=2.6)) == "missed (p95>2.5x)"


def test_a_list_must_stay_within_a_fifth_of_its_p95_on_a_short_history():
    assert growth(_row(p95_ms=12.0, short_p95_ms=10.0)) == 1.2
    assert verdict(_row(p95_ms=12.0, short_p95_ms=10.0)) == "met"
    assert verdict(_row(p95_ms=12.1, short_p95_ms=10.0)) == "missed (grows)"
    assert verdict(_row(p95_ms=30.0, short_p95_ms=10.0, p95_ratio=3.0)) == "missed (p95>2.5x, grows)"


def test_without_a_short_history_only_the_baseline_counts():
    assert growth(_row(short_p95_ms=None)) is None
    assert verdict(_row(p95_ms=50.0, short_p95_ms=None)) == "met"


def test_the_table_names_each_rows_verdict():
    result = {
        "database": "sqlite",
        "generation": {"visits": 1000, "patrols": 1, "intake": 1, "orders": 1, "looks": 1, "seconds": 1.0},
        "short_history": {"visits": 100, "depth": 50},
        "worker_rss_mb": 90.0,
        "work_orders": {"year": 2026, "count": 3, "gaps": 0, "duplicates": 0},
        "rows": [_row(), _row("kiosk registration POST", "insert", ratio=0.3)],
    }
    lines = table(result).splitlines()
    assert lines[-2].startswith("visit log, first page") and lines[-2].endswith("met")
    assert lines[-1].startswith("kiosk registration POST") and lines[-1].endswith("missed (<50%)")
