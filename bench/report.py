"""The benchmark's printed table."""


def browser_line(figures: dict) -> str:
    welcome, replay = figures["welcome"], figures["replay"]
    return (
        f"kiosk in Chromium: welcome screen {welcome['first_load_screen_bytes']:,} B on first load "
        f"({welcome['first_load_bytes']:,} B with the worker's precache), {welcome['reload_bytes']:,} B on a reload; "
        f"{replay['server_rows']:,} queued registrations replayed in {replay['replay_seconds']:.1f} s, "
        f"exactly once: {replay['exactly_once']}"
    )


def table(result: dict) -> str:
    generated = result["generation"]
    orders = result["work_orders"]
    lines = [
        f"{result['database']}: {generated['visits']:,} visits, {generated['patrols']:,} patrols, "
        f"{generated['intake']:,} intake records, {generated['orders']:,} work orders, "
        f"{generated['looks']:,} file looks, generated in {generated['seconds']} s; "
        f"largest app worker {result['worker_rss_mb']} MB",
        f"work orders {orders['year']}: {orders['count']:,} numbered, {orders['gaps']} gaps, "
        f"{orders['duplicates']} duplicates",
        f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'baseline':>9} {'req/s':>8} {'ratio':>6}",
    ]
    if result.get("two_servers"):
        from bench import scale

        lines.insert(2, scale.describe(result["two_servers"]))
    if result.get("browser"):
        lines.insert(2, browser_line(result["browser"]))
    for row in result["rows"]:
        lines.append(
            f"{row['endpoint'][:34]:34} {row['rps']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['p99_ms']:8.1f} {row['errors']:6d} {row['baseline']:>9} {row['baseline_rps']:8.1f} "
            f"{row['ratio'] if row['ratio'] is not None else '-':>6}"
        )
    return "\n".join(lines)
