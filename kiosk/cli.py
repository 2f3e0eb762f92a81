"""flask --app kiosk init-db | seed-demo | create-user | enroll-device | compile-translations |
refresh-statistics"""

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_migrate import upgrade

from kiosk import demo, i18n, statistics
from kiosk.accounts import create_user
from kiosk.extensions import db
from kiosk.models import DeviceKind, Role, Site, User
from kiosk.offline import devices
from kiosk.timeutil import utcnow
from kiosk.visits import upkeep


def _site(code: str | None) -> Site:
    query = sa.select(Site).order_by(Site.id)
    if code:
        query = query.where(Site.code == code)
    site = db.session.scalar(query)
    if site is None:
        raise click.ClickException(f"no site {code!r}" if code else "no site yet: run seed-demo first")
    return site


@click.command("init-db")
@with_appcontext
def init_db():
    """Migrate the database to the newest schema (safe to run again: keeps all data)."""
    upgrade()
    statistics.refresh()
    click.echo("Database is at the newest schema; existing data was kept.")


@click.command("refresh-statistics")
@with_appcontext
def refresh_statistics():
    """Refresh the database's planner statistics (daily; safe at any time)."""
    seconds = statistics.refresh()
    click.echo(f"Planner statistics refreshed ({seconds:.2f} s).")


@click.command("seed-demo")
@with_appcontext
@click.option("--password", default="kiosk-demo", show_default=True, help="Password of every demo account.")
def seed_demo(password: str):
    """Create the demo site and one account per role (refuses if the demo site exists)."""
    accounts = demo.seed(password)
    if not accounts:
        click.echo("Demo data is already present; nothing was changed.")
        names = ", ".join(username for username, _name, _role, _dept in demo.DEMO_ACCOUNTS)
        click.echo(f"Demo accounts: {names} (password as set when seeded; default kiosk-demo)")
        return
    statistics.refresh()
    click.echo(f"{'username':<12} {'role':<14} password")
    for username, _display, role in accounts:
        click.echo(f"{username:<12} {role.value:<14} {password}")


@click.command("create-user")
@with_appcontext
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--site", "site_code", default=None, help="Site code (default: the first site).")
@click.option("--phone", default=None)
@click.password_option()
def create_user_command(username, display_name, role, site_code, phone, password):
    """Create a staff account."""
    if db.session.scalar(sa.select(User.id).where(User.username == username.strip().lower())):
        raise click.ClickException(f"username {username!r} exists already")
    create_user(_site(site_code), username, display_name, Role(role), password, phone=phone)
    db.session.commit()
    click.echo(f"created {username} ({role})")


@click.command("enroll-device")
@with_appcontext
@click.option("--name", required=True, help='e.g. "Lobby kiosk 1"')
@click.option("--kind", type=click.Choice([k.value for k in DeviceKind]), default="kiosk", show_default=True)
@click.option("--site", "site_code", default=None, help="Site code (default: the first site).")
@click.option("--base-url", default=None, help="e.g. http://127.0.0.1:5000: the link is printed in full.")
def enroll_device(name, kind, site_code, base_url):
    """Create a one-time enrollment link; the link (or its URL path) is the last line printed."""
    device, token = devices.create_enrollment(_site(site_code), DeviceKind(kind), name, now=utcnow())
    with current_app.test_request_context():
        path = url_for("devices.enroll", token=token)
    db.session.commit()
    where = "link" if base_url else "path"
    click.echo(
        f"device {device.id} ({kind}) '{name}': open this {where} once in the device's browser, within 24 hours:"
    )
    click.echo(f"{base_url.rstrip('/')}{path}" if base_url else path)


@click.group("translations")
def translations():
    """Check, extend and compile the message catalogues."""


@translations.command("compile")
def compile_translations():
    """Compile the message catalogues (.po to .mo) that changed."""
    for path in i18n.compile_catalogues():
        click.echo(f"compiled {path}")


@translations.command("missing")
@with_appcontext
def missing_translations():
    """List msgids used in code that a catalogue lacks."""
    from kiosk import catalogue

    for locale, ids in catalogue.missing().items():
        for msgid in ids:
            click.echo(f"{locale}\t{msgid}")


@translations.command("add")
@with_appcontext
@click.option("--area", required=True, help="catalogue folder under kiosk/translations, e.g. core, kiosk, patrol")
def add_translations(area):
    """Append missing msgids to an area's catalogues (Chinese left for you to fill in)."""
    from kiosk import catalogue

    click.echo(catalogue.add_missing(area))


def register(app) -> None:
    for command in (
        init_db,
        refresh_statistics,
        seed_demo,
        create_user_command,
        enroll_device,
        translations,
        *upkeep.commands(),
    ):
        app.cli.add_command(command)
