"""Two app servers on one database (bench/run.py calls it for PostgreSQL): kiosk registrations
through one server, then through two at once (a second gunicorn on another port, the same
database and attachments directory), at the same total concurrency. The machine's CPU use
during each run tells whether the app servers could go faster, or the machine is the limit
(on a 2-core machine the two servers, PostgreSQL and wrk share two cores)."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.load import wrk
from bench.serving import PORT, serve, stop


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _busy(before: tuple[int, int], after: tuple[int, int]) -> float:
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 2) if total else 0.0


def two_servers(env: dict, first_base: str, headers: dict, script: str, args) -> dict:
    """Registrations per second through one
    server with 2n connections, then through two servers with n each."""
    connections = args.connections
    tagged = [script.replace("-bench-", f"-bn{tag}-") for tag in ("a", "b")]
    before = _cpu_times()
    one = wrk(
        first_base + "/kiosk/visits",
        duration=args.duration,
        connections=2 * connections,
        headers=headers,
        script=script,
    )
    one_busy = _busy(before, _cpu_times())
    second = serve("kiosk:create_app()", PORT + 2, env, args.workers)
    try:
        second_base = f"http://127.0.0.1:{PORT + 2}"
        with ThreadPoolExecutor(2) as pool:
            before = _cpu_times()
            runs = list(
                pool.map(
                    lambda pair: wrk(
                        pair[0] + "/kiosk/visits",
                        duration=args.duration,
                        connections=connections,
                        headers={**headers, "Origin": pair[0]},
                        script=pair[1],
                    ),
                    [(first_base, tagged[0]), (second_base, tagged[1])],
                )
            )
            two_busy = _busy(before, _cpu_times())
    finally:
        stop(second)
    two = round(sum(r["rps"] for r in runs), 1)
    return {
        "one_server_rps": one["rps"],
        "two_servers_rps": two,
        "ratio": round(two / one["rps"], 2) if one["rps"] else None,
        "errors": one["errors"] + sum(r["errors"] for r in runs),
        "cpu_busy_one": one_busy,
        "cpu_busy_two": two_busy,
    }


def describe(result: dict) -> str:
    return (
        f"two app servers, kiosk registration: one server {result['one_server_rps']} req/s "
        f"(CPU {result['cpu_busy_one']:.0%} busy), two servers {result['two_servers_rps']} req/s "
        f"(CPU {result['cpu_busy_two']:.0%} busy), ratio {result['ratio']}, errors {result['errors']}"
    )
