"""Settings come from the environment; nothing secret is written in the code."""

import os
import secrets
import time
from datetime import timedelta


def _flag(name):
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


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
        # A login lasts SESSION_MAX_AGE at most, and ends sooner after SESSION_IDLE_TIMEOUT unused.
        # The session cookie itself is the "remember me": it survives closing the browser.
        SESSION_MAX_AGE=timedelta(days=30),
        SESSION_IDLE_TIMEOUT=timedelta(days=14),
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=_flag("SESSION_COOKIE_SECURE"),
        # The link in a password reset mail starts with this (e.g. https://hallway.example.org);
        # set it whenever mail is on, so the link never names a host taken from a request.
        PUBLIC_URL=os.environ.get("PUBLIC_URL", ""),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", ""),
        # Mail for password reset links; without MAIL_SERVER, `flask reset-link EMAIL` prints them.
        MAIL_SERVER=os.environ.get("MAIL_SERVER", ""),
        MAIL_PORT=int(os.environ.get("MAIL_PORT") or 0),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME", ""),
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD", ""),
        MAIL_USE_TLS=_flag("MAIL_USE_TLS"),
        MAIL_USE_SSL=_flag("MAIL_USE_SSL"),
        MAIL_FROM=os.environ.get("MAIL_FROM", ""),
        # Where the static files of each release are copied, hashed and compressed (see assets.py). Servers of
        # one release on one host can share it, so that only the first to start compresses (~5 s of CPU).
        STATIC_BUILD_FOLDER=os.environ.get("STATIC_BUILD_FOLDER", ""),
    )
    if test_config is None:
        app.config.from_prefixed_env("HALLWAY")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(app.instance_path)
    _cookies(app.config)


def _cookies(config):
    """Cookie settings that follow from the others: over https both cookies are Secure and __Host-."""
    for name in ("SESSION_MAX_AGE", "SESSION_IDLE_TIMEOUT", "REMEMBER_COOKIE_DURATION"):
        if not isinstance(config[name], timedelta):  # from the environment, in seconds
            config[name] = timedelta(seconds=int(config[name]))
    config["REMEMBER_COOKIE_DURATION"] = min(config["REMEMBER_COOKIE_DURATION"], timedelta(days=30))
    config["PERMANENT_SESSION_LIFETIME"] = min(config["SESSION_IDLE_TIMEOUT"], config["SESSION_MAX_AGE"])
    if config["SESSION_COOKIE_SECURE"]:
        config["REMEMBER_COOKIE_SECURE"] = True
        # __Host-: only ever set by this exact host, over https, for the whole site.
        config.setdefault("SESSION_COOKIE_NAME", "__Host-session")
        if config["SESSION_COOKIE_NAME"] == "session":
            config["SESSION_COOKIE_NAME"] = "__Host-session"
        config["REMEMBER_COOKIE_NAME"] = "__Host-remember_token"
        config["SESSION_COOKIE_PATH"] = config["REMEMBER_COOKIE_PATH"] = "/"
        config["SESSION_COOKIE_DOMAIN"] = config["REMEMBER_COOKIE_DOMAIN"] = None


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
