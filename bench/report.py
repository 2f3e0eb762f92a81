"""The benchmark's printed table."""


def browser_line(figures: dict) -> str:
    welcome, replay = figures["welcome"], figures["replay"]
    return (
        f"kiosk in Chromium: welcome screen {welcome['first_load_screen_bytes']:,} B on first load "
        f"({welcome['first_load_bytes']:,} B with the worker's precache), {welcome['reload_bytes']:,} B on a reload; "
        f"{replay['server_rows']:,} queued registrations replayed in {replay['replay_seconds']:.1f} s, "
        f"exactly once: {replay['exactly_once']}"
    )


# The targets (README, Performance): writes as a share of the bare insert's requests/s,
# reads by p95 against the bare select's and against the same list on a short history.
WRITE_TARGETS = {"kiosk registration POST": 0.5, "work-order creation, 8 clients": 0.4}
READ_P95_RATIO = 2.5
READ_GROWTH = 1.2


def growth(row: dict) -> float | None:
    short = row.get("short_p95_ms")
    return round(row["p95_ms"] / short, 2) if short else None


def verdict(row: dict) -> str:
    """'met', 'missed' (with what), or '-' where the issue sets no target."""
    if row["baseline"] == "insert":
        target = WRITE_TARGETS.get(row["endpoint"])
        if target is None or row["ratio"] is None:
            return "-"
        return "met" if row["ratio"] >= target else f"missed (<{target:.0%})"
    missed = []
    if row.get("p95_ratio") is not None and row["p95_ratio"] > READ_P95_RATIO:
        missed.append(f"p95>{READ_P95_RATIO}x")
    if growth(row) is not None and growth(row) > READ_GROWTH:
        missed.append("grows")
    return "missed (" + ", ".join(missed) + ")" if missed else "met"


def table(result: dict) -> str:
    generated = result["generation"]
    orders = result["work_orders"]
    short = result.get("short_history")
    lines = [
        f"{result['database']}: {generated['visits']:,} visits, {generated['patrols']:,} patrols, "
        f"{generated['intake']:,} intake records, {generated['orders']:,} work orders, "
        f"{generated['looks']:,} file looks, generated in {generated['seconds']} s; "
        f"largest app worker {result['worker_rss_mb']} MB",
        f"deep page: {generated.get('depth', 0):,} rows deep"
        + (f"; short history for growth: {short['visits']:,} visits, deep page {short['depth']:,}" if short else ""),
        f"work orders {orders['year']}: {orders['count']:,} numbered, {orders['gaps']} gaps, "
        f"{orders['duplicates']} duplicates",
        f"{'endpoint':32} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'err':>4} "
        f"{'baseline':>8} {'req/s':>7} {'ratio':>5} {'p95 x':>5} {'short':>6} {'grow':>5}  target",
    ]
    if result.get("two_servers"):
        from bench import scale

        lines.insert(3, scale.describe(result["two_servers"]))
    if result.get("browser"):
        lines.insert(3, browser_line(result["browser"]))

    def cell(value, width, spec=""):
        return f"{'-':>{width}}" if value is None else f"{value:>{width}{spec}}"

    for row in result["rows"]:
        lines.append(
            f"{row['endpoint'][:32]:32} {row['rps']:7.1f} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} "
            f"{row['p99_ms']:7.1f} {row['errors']:4d} {row['baseline']:>8} {row['baseline_rps']:7.1f} "
            f"{cell(row['ratio'], 5)} {cell(row.get('p95_ratio'), 5)} {cell(row.get('short_p95_ms'), 6, '.1f')} "
            f"{cell(growth(row), 5)}  {verdict(row)}"
        )
    return "\n".join(lines)
