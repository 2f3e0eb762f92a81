"""Writers let go at once: each in its own thread, application context, session and
transaction, held at a barrier until all are ready (what two requests at once do)."""

import threading
from collections.abc import Callable

from kiosk.extensions import db


def all_at_once(app, calls: list[Callable[[], object]]) -> list[Exception]:
    """Run every call at once, each committing its own transaction; the errors they raised."""
    start = threading.Barrier(len(calls))
    errors = []

    def run(call):
        with app.app_context():
            try:
                start.wait(timeout=60)
                call()
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the caller
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
