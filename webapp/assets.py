"""Light on a venue's network: every response compressed, and static files the phone downloads once.

At start the app copies static/ into the instance folder once per release, each file also under a name
made from its content (`css/app.3f2a9c1b7d4e.css`), with gzip and brotli copies made by WhiteNoise's
compressor. `url_for('static', ...)` gives the hashed name, which WhiteNoise serves with a year's
`immutable` cache; the plain names still answer, checked on each use (no-cache). Pages and the other
dynamic answers are compressed by Flask-Compress. The service worker gets this release's list of files
from `/sw.js` itself, so a new release is a new worker without a version to bump by hand.
"""

import contextlib
import hashlib
import json
import os
import posixpath
import re
import shutil
import tempfile
from fnmatch import fnmatch
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

import rcssmin
import rjsmin
from flask import current_app
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
HASH_LENGTH = 12
# Served from the root by the offline blueprint, with this release's file list written in.
SERVICE_WORKER = "js/sw.js"
MANIFEST = "manifest.webmanifest"
# What the service worker keeps for a page opened with no signal: styles, every script module, the QR
# reader and the icons a page shows (fnmatch patterns: `*` crosses folders). New files under these
# folders are kept without anyone listing them.
SHELL = ("css/*.css", "js/*.js", "vendor/*.js", "vendor/*.wasm", "icons/icon.svg", "icons/favicon.ico",
         "icons/icon-192.png")
# `import x from "./a.js"`, `export * from "./a.js"`, `import "./a.js"` and `import("./a.js")`:
# a module names the others relatively, and must name their hashed copies so that all of them are immutable.
MODULE_SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'\s]+?\.m?js)\2""")
# Flask-Compress answers with brotli where the phone accepts it, gzip otherwise.
COMPRESSED_TYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/manifest+json", "image/svg+xml", "text/plain", "text/csv", "text/calendar", "text/vcard",
]
BUILDS_KEPT = 3

compress = Compress()


class Release:
    """This release's static files: each file's hashed name, and a copy on disk WhiteNoise serves."""

    def __init__(self, static_folder, url_path, root, names):
        self.static_folder = Path(static_folder)
        self.url_path = url_path.rstrip("/")
        self.root = root
        self.names = names  # "css/app.css" -> "css/app.3f2a9c1b7d4e.css"
        self.hashed = set(names.values())
        self.service_worker = self._service_worker()
        self.manifest = self._manifest()

    def url(self, name):
        return f"{self.url_path}/{self.names.get(name, name)}"

    def shell(self):
        """The hashed URLs of everything the service worker keeps."""
        return sorted(self.url(name) for name in self.names
                      if name != SERVICE_WORKER and any(fnmatch(name, pattern) for pattern in SHELL))

    def _service_worker(self):
        """sw.js with this release written above it: any changed file changes these bytes, so the
        browser installs the new worker, which fetches what changed."""
        release = {"shell": self.shell(), "urls": {name: self.url(name) for name in sorted(self.names)}}
        source = (self.static_folder / SERVICE_WORKER).read_text(encoding="utf-8")
        return (f"// This release's files, written by the server (webapp/assets.py).\n"
                f"const RELEASE = {json.dumps(release, separators=(',', ':'))};\n{rjsmin.jsmin(source)}")

    def _manifest(self):
        manifest = json.loads((self.static_folder / MANIFEST).read_text(encoding="utf-8"))

        def hashed(node):
            if isinstance(node, dict):
                return {k: self._hashed_src(v) if k == "src" else hashed(v) for k, v in node.items()}
            if isinstance(node, list):
                return [hashed(v) for v in node]
            return node

        return json.dumps(hashed(manifest), ensure_ascii=False, separators=(",", ":"))

    def _hashed_src(self, src):
        prefix = self.url_path + "/"
        return self.url(src[len(prefix):]) if src.startswith(prefix) else src

    def is_hashed(self, url):
        return url[len(self.url_path) + 1:] in self.hashed


def _hashed_name(name, content):
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    return f"{stem}.{digest}.{suffix}" if dot and "/" not in suffix else f"{name}.{digest}"


def _static_files(folder):
    files = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            files[relative] = path.read_bytes()
    return files


def hashed_contents(files):
    """{name: (hashed name, content to serve)}. A module that imports another names its hashed copy,
    so its own hash changes with it (an import cycle keeps the plain names, which still answer)."""
    result, visiting = {}, set()

    def visit(name):
        if name in result:
            return result[name][0]
        if name in visiting:
            return None
        visiting.add(name)
        content = files[name]
        if name.endswith((".js", ".mjs")):
            content = _point_imports_at_hashed(name, content, files, visit)
        content = _minified(name, content)
        visiting.discard(name)
        result[name] = (_hashed_name(name, content), content)
        return result[name][0]

    for name in files:
        if name != SERVICE_WORKER:
            visit(name)
    return result


def _minified(name, content):
    """Our own scripts and styles without their comments and spaces, which are for the code's readers, not
    the phone: all of them together weigh 30 KB over the wire instead of 43 (brotli). The readable files
    stay in the source. Third-party files under vendor/ are served as they come."""
    if fnmatch(name, "js/*.js"):
        return rjsmin.jsmin(content.decode("utf-8")).encode("utf-8")
    if fnmatch(name, "css/*.css"):
        return rcssmin.cssmin(content.decode("utf-8")).encode("utf-8")
    return content


def _point_imports_at_hashed(name, content, files, visit):
    text = content.decode("utf-8")
    folder = posixpath.dirname(name)

    def replace(match):
        keyword, quote, specifier = match.groups()
        target = posixpath.normpath(posixpath.join(folder, specifier))
        hashed = visit(target) if target in files and target != name else None
        if hashed is None:
            return match.group(0)
        relative = posixpath.relpath(hashed, folder or ".")
        return f"{keyword}{quote}{relative if relative.startswith('.') else './' + relative}{quote}"

    return MODULE_SPECIFIER.sub(replace, text).encode("utf-8")


def build(static_folder, into, compressed=None):
    """The folder WhiteNoise serves for these static files: made once per release, reused after that.

    Several workers may start at once: each builds in a folder of its own and renames it into place;
    the first rename wins and the others use its copy. compressed: what earlier builds of this process
    compressed, to reuse (development, where each edit makes a build); by default, this build's only.
    """
    files = _static_files(static_folder)
    contents = hashed_contents(files)
    names = {name: hashed for name, (hashed, _) in contents.items()}
    # The hashed names change with what is served (a new minifier, say) even where the files do not.
    digest = hashlib.sha256(json.dumps([(name, hashlib.sha256(content).hexdigest(), names.get(name))
                                        for name, content in files.items()]).encode()).hexdigest()[:HASH_LENGTH]
    target = Path(into) / digest
    if not target.is_dir():  # renamed into place only once complete
        Path(into).mkdir(parents=True, exist_ok=True)
        with _building(into):
            if not target.is_dir():  # another process built it while this one waited
                _build_into(target, files, contents, compressed)
            _forget_old_builds(Path(into), keep=target)
    else:
        with contextlib.suppress(OSError):
            os.utime(target)  # in use: the builds forgotten first are those no server started lately
    return target, names


def _build_into(target, files, contents, compressed):
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    compressed = {} if compressed is None else compressed
    _reuse_earlier_builds(target.parent, files, contents, compressed)
    compressor = RememberingCompressor(compressed, quiet=True)
    for name, content in files.items():
        # The plain name serves what the hashed one does: one copy to compress, and no readable file to
        # download by mistake.
        hashed, served = contents.get(name, (None, content))
        _write(work / name, served, compressor)
        if hashed:
            _write(work / hashed, served, compressor)
    try:
        work.rename(target)
    except OSError:  # another process was first
        shutil.rmtree(work, ignore_errors=True)


def _reuse_earlier_builds(into, files, contents, compressed):
    """A new release compresses only the files it changed: where an earlier build holds a file of the same
    name and bytes, its compressed copies are the bytes this build would make."""
    earlier = [p for p in into.iterdir() if p.is_dir() and not p.name.startswith(".")]
    written = [*files.items(), *contents.values()]
    for name, content in written:
        digest = hashlib.sha256(content).digest()
        for build_folder in earlier:
            if all((kind, digest) in compressed for kind in ("br", "gzip")):
                break
            copy = build_folder / name
            if copy.is_file() and copy.stat().st_size == len(content) and copy.read_bytes() == content:
                for kind, suffix in (("br", ".br"), ("gzip", ".gz")):
                    if (kind, digest) not in compressed and copy.with_name(copy.name + suffix).is_file():
                        compressed[(kind, digest)] = copy.with_name(copy.name + suffix).read_bytes()


@contextlib.contextmanager
def _building(into):
    """One build at a time per folder: workers starting together wait for the first one's build instead of
    each compressing the same files (the scanner's WebAssembly alone takes ~5 s at Brotli's highest level).
    The lock goes with its process, even a killed one. Where there is no fcntl, each builds its own copy."""
    if fcntl is None:
        yield
        return
    with open(Path(into) / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class RememberingCompressor(Compressor):
    """WhiteNoise's compressor, which compresses the same bytes only once: a file and its hashed copy hold
    the same bytes, and an edit in development changes one file of eighty (at Brotli's highest level,
    compressing everything again took ~10 s per build)."""

    def __init__(self, done, **options):
        super().__init__(**options)
        self.done = done  # (kind, digest of the bytes): compressed bytes

    def _once(self, kind, data, compress):
        key = (kind, hashlib.sha256(data).digest())
        if key not in self.done:
            self.done[key] = compress(data)
        return self.done[key]

    def compress_brotli(self, data):
        return self._once("br", data, Compressor.compress_brotli)

    def compress_gzip(self, data):
        return self._once("gzip", data, Compressor.compress_gzip)


def _write(path, content, compressor):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if compressor.should_compress(path.name):
        compressor.compress(str(path))  # writes .br and .gz beside it when they are smaller


def _forget_old_builds(into, keep):
    """Builds of earlier releases go, except the last few started (workers of the previous release may still
    run)."""
    builds = sorted((p for p in into.iterdir() if p.is_dir() and p != keep and not p.name.startswith(".")),
                    key=lambda p: p.stat().st_mtime)
    for old in builds[:-BUILDS_KEPT] if len(builds) > BUILDS_KEPT else []:
        shutil.rmtree(old, ignore_errors=True)


def _build_folder(app):
    """STATIC_BUILD_FOLDER, or the instance folder, holds the build; where it cannot be written, a private
    temporary folder does."""
    folder = Path(app.config.get("STATIC_BUILD_FOLDER") or Path(app.instance_path) / "static-build")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=folder)
        probe.close()
        return folder
    except OSError:
        return Path(tempfile.mkdtemp(prefix="hallway-static-"))


_built = {}
# In development, what every build so far compressed (about 0.9 MB); a server keeps none of it after its build.
_compressed_in_development = {}


def _release_for(app):
    key = (app.static_folder, app.static_url_path, _signature(app.static_folder))
    if key not in _built:
        root, names = build(app.static_folder, _build_folder(app), _compressed_in_development if app.debug else None)
        _built[key] = Release(app.static_folder, app.static_url_path, str(root), names)
    return _built[key]


def _signature(folder):
    """Changes when any static file changes: the release is made again in development."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(Path(folder).rglob("*"))
                 if p.is_file())


def init_app(app, content_security_policy):
    """Serve static/ hashed, compressed and cached for a year; compress every other answer."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Brotli 5: pages 5-13% smaller than at 4 (the card 3.0 KB instead of 3.4) for well under a millisecond
    # more; higher levels gain almost nothing and cost several times the CPU.
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br"])
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    compress.init_app(app)

    app.extensions["assets"] = _release_for(app)

    def headers(headers, path, url):
        headers["Cache-Control"] = IMMUTABLE if app.extensions["assets"].is_hashed(url) else "no-cache"
        headers["X-Content-Type-Options"] = "nosniff"
        if url.endswith(".svg"):  # the one kind of static file that can run script when opened on its own
            headers["Content-Security-Policy"] = content_security_policy

    static_files = WhiteNoise(app.wsgi_app, root=app.extensions["assets"].root, prefix=app.static_url_path,
                              max_age=None, add_headers_function=headers, allow_all_origins=False)
    app.wsgi_app = static_files

    @app.url_defaults
    def hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = app.extensions["assets"].names.get(values["filename"], values["filename"])

    if app.debug:
        @app.before_request
        def pick_up_edited_files():
            """In development an edited CSS or JS file is served at once, under its new hash."""
            current = _release_for(app)
            if current is not app.extensions["assets"]:
                app.extensions["assets"] = current
                static_files.files = {}
                static_files.add_files(current.root, app.static_url_path)


def release():
    """This release's static files, for the views that serve the service worker and the manifest."""
    return current_app.extensions["assets"]
