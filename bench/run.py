"""The benchmark: the app and a bare-Flask baseline on the same database, driven by wrk.

    python -m bench.run --db sqlite --visits 1000000 --days 730     (make bench)
    python -m bench.run --db sqlite --visits 5000 --duration 2 --quick   (make bench-quick)

1. A fresh database (SQLite file under bench/.work/, or PostgreSQL database `kiosk_bench`
   on BENCH_PG_URL), migrated, filled by bench/data.py; generation time is printed.
2. gunicorn serves the app (as the README's production section says, 2 sync workers on this
   2-core machine) and the baseline (bench/baseline.py) on loopback.
3. wrk drives each endpoint and its baseline counterpart (select for reads, insert for
   writes) at the same concurrency and duration, alternating app and baseline each round so
   that machine noise hits both.
4. One table (endpoint, requests/s, p50, p95, p99, ratio to baseline) is printed and written
   as JSON under bench/results/. No assertion on speed: the README's performance section
   says which targets were met.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import time

from bench.baseline import create_table
from bench.load import BASELINE_INSERT_LUA, wrk
from bench.plan import endpoints
from bench.report import table
from bench.serving import (
    PG_URL,
    PORT,
    ROOT,
    UA,
    WORK,
    app_env,
    csrf_token,
    fresh_database,
    login,
    pg_reachable,
    serve,
    stop,
    worker_rss_mb,
)

RESULTS = ROOT / "bench" / "results"


def prepare(db_url: str, args) -> dict:
    """Migrate, generate, enroll a kiosk; in this process, with the app's own code."""
    os.environ.update(app_env(db_url, WORK))
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from bench import data
    from kiosk import create_app
    from kiosk.extensions import db
    from kiosk.models import DeviceKind, Household, Room, Site, Visit
    from kiosk.offline import devices
    from kiosk.paging import encode_cursor
    from kiosk.timeutil import utcnow

    app = create_app()
    with app.app_context():
        upgrade()
        facts = data.generate(
            rooms=args.rooms,
            visits=args.visits,
            days=args.days,
            patrols=args.patrols,
            intake=args.intake,
            orders=args.orders,
            looks=args.looks,
        )
        site = db.session.scalar(sa.select(Site).where(Site.code == "demo"))
        _device, token = devices.create_enrollment(site, DeviceKind.KIOSK, "bench kiosk", now=utcnow())
        _device, credential = devices.enroll(token, now=utcnow())
        facts.update(_tablet(app, site))
        room = db.session.scalar(sa.select(Room.id).where(Room.site_id == site.id).limit(1))
        household = db.session.scalar(sa.select(Household.id).where(Household.site_id == site.id).limit(1))
        depth = min(args.depth, max(args.visits - 1, 0))
        deep = db.session.execute(
            sa.select(Visit.action_at, Visit.id)
            .where(Visit.site_id == site.id)
            .order_by(Visit.action_at.desc(), Visit.id.desc())
            .offset(depth)
            .limit(1)
        ).first()
        db.session.commit()
        facts.update(
            credential=credential,
            room=room,
            household=household,
            depth=depth,
            deep_cursor=encode_cursor(deep.action_at, deep.id) if deep else "",
        )
        db.engine.dispose()
    return facts


def _tablet(app, site) -> dict:
    """An enrolled patrol tablet, an officer's token for its forms, and one ad hoc patrol
    started on it (P6) with a checkpoint and a pass/fail item: what the patrol start and
    answer endpoints post."""
    import uuid

    import sqlalchemy as sa

    from kiosk.extensions import db
    from kiosk.models import DeviceKind, Role, User
    from kiosk.models.patrols import AnswerKind, ChecklistTemplate, PatrolReason, TemplateItem, TemplateSection
    from kiosk.offline import devices
    from kiosk.patrols import identity, walk
    from kiosk.timeutil import utcnow

    now = utcnow()
    device, token = devices.create_enrollment(site, DeviceKind.TABLET, "bench tablet", now=now)
    device, credential = devices.enroll(token, now=now)
    officer = db.session.scalar(sa.select(User).where(User.site_id == site.id, User.role == Role.OFFICER).limit(1))
    template = db.session.scalar(
        sa.select(ChecklistTemplate).where(ChecklistTemplate.site_id == site.id, ChecklistTemplate.active.is_(True))
    )
    patrol = walk.start(
        str(uuid.uuid4()), device, officer, at=now, received=now, template=template, reason=PatrolReason.OTHER
    )
    item = db.session.scalar(
        sa.select(TemplateItem.id)
        .join(TemplateSection)
        .where(TemplateSection.version_id == patrol.version_id, TemplateItem.kind == AnswerKind.CHECK)
        .limit(1)
    )
    db.session.commit()
    return {
        "tablet_credential": credential,
        "officer_token": identity.officer_token(app.config["SECRET_KEY"], officer, device),
        "template": template.id,
        "patrol_uuid": patrol.uuid,
        "checkpoint": patrol.stops[0].checkpoint_id,
        "item": item,
    }


def load_app(base: str, entry: dict, args) -> dict:
    """wrk on one of the app's endpoints, with its headers and script, at the run's settings."""
    return wrk(
        base + entry["path"],
        duration=args.duration,
        connections=entry.get("connections", args.connections),
        headers=entry["headers"],
        script=entry.get("script", ""),
    )


def warm(base: str, plan: list[dict], times: int = 3) -> None:
    """A few requests to each page before it is measured, in both passes alike: each worker's
    first request of a page compiles its templates and fills its caches."""
    import urllib.request

    for entry in plan:
        if entry["baseline"] != "select":
            continue
        for _ in range(times):
            request = urllib.request.Request(base + entry["path"], headers=entry["headers"])
            urllib.request.urlopen(request, timeout=30).read()


def small_history(db_kind: str, args) -> dict:
    """Each list's p95 on the same site with a short history (`--small-visits` visits, the
    rest of its history scaled alike): the reference for "cost does not grow with history".
    Same server, concurrency and duration as the large run; app only."""
    share = args.small_visits / args.visits
    small = argparse.Namespace(**vars(args))
    small.visits = args.small_visits
    for count in ("patrols", "intake", "orders", "looks"):
        setattr(small, count, max(int(getattr(args, count) * share), 1))
    small.depth = min(args.depth, args.small_visits // 2)
    db_url = fresh_database(db_kind)
    print(f"== {db_kind}: the short history first, {small.visits:,} visits")
    facts = prepare(db_url, small)
    app = serve("kiosk:create_app()", PORT, app_env(db_url, WORK), args.workers)
    base = f"http://127.0.0.1:{PORT}"
    try:
        cookie = login(base, "supervisor", "bench-pass")
        plan = endpoints(facts, cookie, base, csrf_token(base, cookie, "/console/cases/new"))
        warm(base, plan)
        p95 = {}
        for entry in plan:
            if entry["baseline"] != "select":
                continue
            p95[entry["name"]] = load_app(base, entry, args)["p95"]
    finally:
        stop(app)
    return {"visits": small.visits, "depth": small.depth, "p95_ms": p95}


def measure(db_kind: str, args) -> dict:
    short = small_history(db_kind, args) if args.small_visits else None
    db_url = fresh_database(db_kind)
    print(f"== {db_kind}: generating {args.visits:,} visits over {args.days} days, {args.rooms:,} rooms")
    facts = prepare(db_url, args)
    env = app_env(db_url, WORK)
    app_port, base_port = PORT, PORT + 1
    create_table()  # prepare() set this process's environment to the servers'
    app = serve("kiosk:create_app()", app_port, env, args.workers)
    try:
        baseline = serve("bench.baseline:create_app()", base_port, env, args.workers)
    except BaseException:
        stop(app)  # never leave a server behind to answer the next run's requests
        raise
    app_base, base_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{base_port}"
    rows = []
    try:
        cookie = login(app_base, "supervisor", "bench-pass")
        plan = endpoints(facts, cookie, app_base, csrf_token(app_base, cookie, "/console/cases/new"))
        warm(app_base, plan)
        samples = {e["name"]: {"app": [], "baseline": []} for e in plan}
        for round_no in range(args.rounds):
            for entry in plan:
                order = ("app", "baseline") if round_no % 2 == 0 else ("baseline", "app")
                for side in order:
                    if side == "app":
                        figures = load_app(app_base, entry, args)
                    else:
                        script = BASELINE_INSERT_LUA if entry["baseline"] == "insert" else ""
                        figures = wrk(
                            f"{base_base}/{entry['baseline']}",
                            duration=args.duration,
                            connections=entry.get("connections", args.connections),
                            headers={"User-Agent": UA},
                            script=script,
                        )
                    samples[entry["name"]][side].append(figures)
        rss = worker_rss_mb(app)
        in_browser = None
        if args.browser and db_kind == "sqlite" and shutil.which("chromium") is None:
            print("the kiosk in Chromium SKIPPED: Debian's chromium is not installed (make browser-deps)")
        elif args.browser and db_kind == "sqlite":
            from bench import browser

            print("== the kiosk in Chromium: welcome-screen bytes, then an offline outbox replayed")
            in_browser = browser.measure(app_base, facts["credential"], registrations=args.outbox, database_url=db_url)
        scaling = None
        if db_kind == "postgresql":
            from bench import scale

            kiosk_entry = plan[0]
            scaling = scale.two_servers(env, app_base, kiosk_entry["headers"], kiosk_entry["script"], args)
        for entry in plan:
            app_runs, base_runs = samples[entry["name"]]["app"], samples[entry["name"]]["baseline"]
            best = max(app_runs, key=lambda f: f["rps"])
            base_best = max(base_runs, key=lambda f: f["rps"])
            rows.append(
                {
                    "endpoint": entry["name"],
                    "baseline": entry["baseline"],
                    "rps": best["rps"],
                    "p50_ms": best["p50"],
                    "p95_ms": best["p95"],
                    "p99_ms": best["p99"],
                    "errors": sum(r["errors"] for r in app_runs),
                    "baseline_rps": base_best["rps"],
                    "baseline_p95_ms": base_best["p95"],
                    "ratio": round(best["rps"] / base_best["rps"], 2) if base_best["rps"] else None,
                    "p95_ratio": round(best["p95"] / base_best["p95"], 2) if base_best["p95"] else None,
                    "short_p95_ms": short["p95_ms"].get(entry["name"]) if short else None,
                }
            )
    finally:
        stop(app)
        stop(baseline)
    return {
        "database": db_kind,
        "generation": {k: v for k, v in facts.items() if k in GENERATED},
        "short_history": short and {"visits": short["visits"], "depth": short["depth"]},
        "worker_rss_mb": rss,
        "work_orders": work_order_numbers(db_url),
        "two_servers": scaling,
        "browser": in_browser,
        "rows": rows,
    }


GENERATED = ("rooms", "visits", "patrols", "intake", "orders", "looks", "days", "depth", "seconds")


def work_order_numbers(db_url: str) -> dict:
    """After the run: this year's work-order numbers, with any gap or duplicate (C11)."""
    os.environ.update(app_env(db_url, WORK))
    import sqlalchemy as sa

    from kiosk import create_app
    from kiosk.extensions import db
    from kiosk.models.case_orders import WorkOrder

    with create_app().app_context():
        year = db.session.scalar(sa.select(sa.func.max(WorkOrder.year)))
        numbers = list(db.session.scalars(sa.select(WorkOrder.number).where(WorkOrder.year == year)))
        db.engine.dispose()
    if not numbers:
        return {"year": year, "count": 0, "gaps": 0, "duplicates": 0}
    return {
        "year": year,
        "count": len(numbers),
        "gaps": max(numbers) - len(set(numbers)),
        "duplicates": len(numbers) - len(set(numbers)),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--rooms", type=int, default=5_000)
    parser.add_argument("--patrols", type=int, default=30_000)
    parser.add_argument("--intake", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--looks", type=int, default=100_000)
    parser.add_argument("--depth", type=int, default=100_000)
    parser.add_argument(
        "--small-visits",
        type=int,
        default=10_000,
        help="the short history each list is compared with (0: none)",
    )
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="a short run that checks the harness works")
    parser.add_argument("--outbox", type=int, default=500, help="registrations queued offline in the browser run")
    parser.add_argument(
        "--no-browser", dest="browser", action="store_false", help="skip the Chromium figures (bench/browser.py)"
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench needs wrk (Debian package 'wrk'): apt-get install wrk", file=sys.stderr)
        return 2
    results = []
    for kind in args.db or ["sqlite"]:
        if kind == "postgresql" and not pg_reachable():
            print(f"PostgreSQL run SKIPPED: no server at {PG_URL}")
            continue
        result = measure(kind, args)
        print(table(result))
        results.append(result)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{'quick-' if args.quick else ''}{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": f"{platform.node()} {os.cpu_count()} cores",
                "args": vars(args),
                "results": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"written: {out.relative_to(ROOT)}")
    failed = [row["endpoint"] for result in results for row in result["rows"] if row["errors"] and args.quick]
    if failed:
        print(f"errors (non-2xx/3xx answers or socket errors) on: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
