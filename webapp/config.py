"""Settings come from the environment; nothing secret is written in the code."""

import os
import secrets
import time
from datetime import timedelta


def load(app, test_config=None):
    """Fill app.config from defaults, the environment, then the test's overrides."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL")
        or "sqlite:///" + os.path.join(app.instance_path, "hallway.sqlite3"),
        # Phones keep a form open for hours between conversations: a token that
        # expires after an hour would throw away a note. The token still dies with the session.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        PASSWORD_METHOD="scrypt:32768:8:3",
        REMEMBER_COOKIE_DURATION=timedelta(days=90),
        PERMANENT_SESSION_LIFETIME=timedelta(days=90),
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
    )
    if test_config is None:
        app.config.from_prefixed_env("HALLWAY")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(app.instance_path)


def _instance_secret(instance_path):
    """A development key made once and kept in the instance folder, so logins survive a restart.

    Several workers may start at once: O_EXCL lets exactly one of them write the key.
    """
    path = os.path.join(instance_path, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            with open(path) as f:
                key = f.read().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key
