"""Hallway: the event-day companion.

`create_app()` builds the Flask application; `flask --app webapp run` and
`gunicorn "webapp:create_app()"` both use it.
"""

from pathlib import Path

from flask import Flask

from . import config, db

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_or_checkout(name):
    """The wheel ships templates/ and static/ inside the package; a checkout keeps them at the top."""
    bundled = PACKAGE_DIR / name
    return str(bundled if bundled.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config=None):
    """Create and configure the app: settings, database, login, CSRF and one blueprint per area."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=_bundled_or_checkout("templates"),
        static_folder=_bundled_or_checkout("static"),
    )
    config.load(app, test_config)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from .forms import field  # here, not at the top: the forms know the models, the database module must not

    app.jinja_env.globals["field"] = field  # every form's fields, written alike

    # What a phone fetches to install or update the app, answered while the database is away (offline/__init__.py).
    db.init_app(app, without_database={"offline.service_worker", "offline.manifest", "offline.fallback"})
    # Imported here, like the blueprints: the database module stays free of the domain.
    from . import schema

    schema.init_app(app)
    # No connection opened while starting is kept: a server that loads the app once and then forks its
    # workers (gunicorn --preload) would hand that one connection to several processes.
    db.database().close_all()

    from . import (
        accounts,
        attachments,
        calendar_feed,
        card,
        errors,
        events,
        exports,
        followups,
        home,
        imports,
        insights,
        met_before,
        offline,
        people,
        web,
    )

    web.init_app(app)
    errors.init_app(app)
    accounts.init_app(app)
    for area in (home, accounts, events, people, attachments, card, offline, exports, imports, followups,
                 calendar_feed, met_before, insights):
        app.register_blueprint(area.bp)
    return app
