"""The root, the health check."""

import sqlalchemy as sa
from flask import jsonify, redirect, url_for
from flask_login import current_user

from kiosk.access import home_url_for, public
from kiosk.blueprints.core import bp
from kiosk.extensions import db


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    return redirect(url_for("auth.login"))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
