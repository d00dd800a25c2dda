"""The app as the benches drive it in this process: through its test client, on DATABASE_URL or on SQLite in a
temporary folder, with a cheap password hash (the benches make accounts, they do not time logins) and no CSRF."""

import os
import tempfile

from webapp import create_app


def bench_app():
    """The app and the database URL it runs on."""
    folder = tempfile.mkdtemp(prefix="hallway-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    app.instance_path = folder
    return app, url
