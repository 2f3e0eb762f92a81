"""Every blueprint, registered with its URL prefix in one place."""


def register_all(app) -> None:
    from kiosk.blueprints.accounts import bp as accounts
    from kiosk.blueprints.auth import bp as auth
    from kiosk.blueprints.calendar import bp as calendar
    from kiosk.blueprints.cases import bp as cases
    from kiosk.blueprints.cases_kiosk import bp as cases_kiosk
    from kiosk.blueprints.console import bp as console
    from kiosk.blueprints.core import bp as core
    from kiosk.blueprints.devices import bp as devices
    from kiosk.blueprints.handover import bp as handover
    from kiosk.blueprints.households import bp as households
    from kiosk.blueprints.keys import bp as keys
    from kiosk.blueprints.kiosk import bp as kiosk_face
    from kiosk.blueprints.lobby import bp as lobby
    from kiosk.blueprints.offline import bp as offline
    from kiosk.blueprints.patrol import bp as patrol
    from kiosk.blueprints.patrols import bp as patrols_console
    from kiosk.blueprints.registers import bp as registers
    from kiosk.blueprints.visits import bp as visits_console

    app.register_blueprint(core)
    app.register_blueprint(auth, url_prefix="/auth")
    app.register_blueprint(console, url_prefix="/console")
    app.register_blueprint(devices, url_prefix="/devices")
    app.register_blueprint(accounts, url_prefix="/accounts")
    app.register_blueprint(kiosk_face, url_prefix="/kiosk")
    app.register_blueprint(lobby, url_prefix="/console/lobby")
    app.register_blueprint(visits_console, url_prefix="/console/visits")
    app.register_blueprint(patrols_console, url_prefix="/console/patrols")
    app.register_blueprint(patrol, url_prefix="/patrol")
    app.register_blueprint(registers, url_prefix="/console/registers")
    app.register_blueprint(households, url_prefix="/console/households")
    app.register_blueprint(cases, url_prefix="/console/cases")
    app.register_blueprint(cases_kiosk, url_prefix="/kiosk/report")
    app.register_blueprint(keys, url_prefix="/console/keys")
    app.register_blueprint(handover, url_prefix="/console/handover")
    app.register_blueprint(calendar, url_prefix="/console/calendar")
    app.register_blueprint(offline)  # /sw.js, /devices/heartbeat, /kiosk|patrol/queued/...
