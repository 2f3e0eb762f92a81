"""Every blueprint, registered with its URL prefix in one place."""


def register_all(app) -> None:
    from kiosk.blueprints.accounts import bp as accounts
    from kiosk.blueprints.auth import bp as auth
    from kiosk.blueprints.console import bp as console
    from kiosk.blueprints.core import bp as core
    from kiosk.blueprints.devices import bp as devices

    app.register_blueprint(core)
    app.register_blueprint(auth, url_prefix="/auth")
    app.register_blueprint(console, url_prefix="/console")
    app.register_blueprint(devices, url_prefix="/devices")
    app.register_blueprint(accounts, url_prefix="/accounts")
