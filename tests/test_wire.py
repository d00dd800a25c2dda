"""Light on a venue's network: what a phone downloads, read from the real responses.

A first visit to any key page, HTML and everything it loads, is at most 30 KB; a repeat visit downloads only
the HTML, at most 6 KB. Pages, styles, scripts, JSON, SVG and the manifest travel compressed (brotli where
the phone accepts it, gzip otherwise); static files have content-hashed URLs cached for a year, and the
service worker learns this release's files from /sw.js.
"""

import gzip
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import brotli
import pytest
from conftest import ROOT, make_app
from whitenoise.compress import Compressor
from wire_weight import PHONE, a_busy_evening, fetch, loaded_by, page_weight

from webapp import assets

KB = 1024
FIRST_VISIT = 30 * KB
REPEAT_VISIT = 6 * KB
KEY_PAGES = ("home", "event", "log form", "card", "People", "Follow-ups", "Insights", "Profile")
STATIC = ROOT / "static"
HASHED = re.compile(r"\.[0-9a-f]{12}(\.[a-z]+)?$")


@pytest.fixture(scope="module")
def evening(tmp_path_factory):
    """A logged-in phone on its event day with 30 people met, and the URLs of the key pages."""
    folder = tmp_path_factory.mktemp("wire")
    app = make_app("sqlite:///" + str(folder / "wire.sqlite3"))
    app.instance_path = str(folder)
    client = app.test_client()
    return client, a_busy_evening(client, people=30)


def decoded(response):
    data = response.get_data()
    return {"br": brotli.decompress, "gzip": gzip.decompress}.get(response.headers.get("Content-Encoding"),
                                                                   lambda d: d)(data)


@pytest.mark.parametrize("name", KEY_PAGES)
def test_a_first_visit_downloads_at_most_30_kb(evening, name):
    client, pages = evening
    html, assets_bytes, loaded = page_weight(client, pages[name])
    assert all(r.status_code == 200 for r in loaded.values()), {u: r.status_code for u, r in loaded.items()}
    assert html + assets_bytes <= FIRST_VISIT, (html, assets_bytes)


@pytest.mark.parametrize("name", KEY_PAGES)
def test_a_repeat_visit_downloads_only_the_page_at_most_6_kb(evening, name):
    client, pages = evening
    html, _, loaded = page_weight(client, pages[name])
    # Everything the page loads is kept by the browser for a year without asking again (the manifest,
    # not part of drawing the page, is checked and answered 304 when unchanged).
    for url, response in loaded.items():
        if url == "/manifest.webmanifest":
            etag = response.headers["ETag"]
            assert fetch(client, url, **PHONE, **{"If-None-Match": etag}).status_code == 304
        else:
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    assert html <= REPEAT_VISIT, html


def test_pages_travel_as_brotli_or_gzip_as_the_phone_accepts(evening):
    client, pages = evening
    plain = client.get(pages["event"]).get_data()
    for accept, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("", None)):
        response = client.get(pages["event"], headers={"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(decoded(response)) == len(plain)
    assert len(client.get(pages["event"], headers=PHONE).get_data()) < len(plain) / 4


def test_static_files_are_sent_compressed_from_copies_made_once(evening):
    client, pages = evening
    loaded = loaded_by(client, client.get(pages["card"]).get_data(as_text=True), pages["card"])
    css = next(u for u in loaded if u.endswith(".css"))
    original = assets._minified("css/app.css", (STATIC / "css/app.css").read_bytes())
    assert len(original) < len((STATIC / "css/app.css").read_bytes())  # comments and spaces are for readers
    for accept, encoding in (("gzip, br", "br"), ("gzip", "gzip"), ("identity", None)):
        response = fetch(client, css, **{"Accept-Encoding": accept})
        assert response.headers.get("Content-Encoding") == encoding
        assert decoded(response) == original
    svg = fetch(client, next(u for u in loaded if u.endswith(".svg")))
    assert svg.mimetype == "image/svg+xml" and svg.headers["Content-Encoding"] == "br"
    assert "default-src 'self'" in svg.headers["Content-Security-Policy"]


def test_a_static_url_names_its_content_and_is_kept_for_a_year(evening):
    client, _ = evening
    page = client.get("/").get_data(as_text=True)
    (href,) = re.findall(r'href="(/static/css/[^"]+)"', page)
    response = fetch(client, href)
    digest = hashlib.sha256(decoded(response)).hexdigest()[:12]
    assert href == f"/static/css/app.{digest}.css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # The plain name still answers, checked on each use; a made-up hash is not found.
    old = fetch(client, "/static/css/app.css")
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    assert fetch(client, "/static/css/app.000000000000.css").status_code == 404


def service_worker_release(client):
    response = fetch(client, "/sw.js")
    text = decoded(response).decode()
    return response, json.loads(re.match(r"// .*\nconst RELEASE = (\{.*\});\n", text).group(1)), text


def test_the_service_worker_keeps_every_script_module_under_its_hashed_url(evening):
    client, _ = evening
    response, release, text = service_worker_release(client)
    assert response.headers["Content-Encoding"] == "br" and response.headers["Cache-Control"] == "no-cache"
    assert "CACHE_VERSION" in text and "importScripts(RELEASE.urls[" in text
    scripts = {p.relative_to(STATIC).as_posix() for folder in ("js", "vendor") for p in (STATIC / folder).rglob("*.js")}
    scripts.discard("js/sw.js")
    assert scripts and scripts <= set(release["urls"])
    for name in scripts | {"css/app.css", "icons/icon.svg"}:
        url = release["urls"][name]
        assert HASHED.search(url) and url in release["shell"], name
        kept = fetch(client, url)
        assert kept.status_code == 200 and kept.headers["Cache-Control"].endswith("immutable"), url


def test_the_service_worker_and_manifest_are_checked_each_visit_and_answer_304_when_unchanged(evening):
    client, _ = evening
    for url in ("/sw.js", "/manifest.webmanifest"):
        for accept, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("", None)):
            first = fetch(client, url, **{"Accept-Encoding": accept})
            assert first.headers["Cache-Control"] == "no-cache"
            assert first.headers.get("Content-Encoding") == encoding
            again = fetch(client, url, **{"Accept-Encoding": accept, "If-None-Match": first.headers["ETag"]})
            assert again.status_code == 304, (url, accept)
    manifest = json.loads(decoded(fetch(client, "/manifest.webmanifest")))
    icon = manifest["icons"][0]["src"]
    assert HASHED.search(icon) and fetch(client, icon).status_code == 200


def test_the_qr_reader_is_not_loaded_until_scanning_starts(evening):
    client, pages = evening
    page = client.get(pages["log form"]).get_data(as_text=True)
    loaded = loaded_by(client, page, pages["log form"])
    assert not any("/vendor/" in url or "/css/scan." in url for url in loaded)  # nor the camera view's styles
    # The page names the reader's worker, script and WebAssembly by their hashed copies, fetched on the first scan.
    for attribute in ("data-reader-worker", "data-reader", "data-reader-wasm", "data-scan-style"):
        url = re.search(rf'{attribute}="([^"]+)"', page).group(1)
        assert HASHED.search(url) and fetch(client, url).status_code == 200, attribute


def test_a_module_names_the_hashed_copy_of_what_it_imports_so_a_change_reaches_every_importer():
    files = {
        "js/main.js": b'import { queue } from "./offline/queue.js";\nimport "./badge.js";\nqueue();\n',
        "js/offline/queue.js": b'export { draft } from "../drafts.js";\n'
                               b'export const queue = () => import("./lazy.js");\n',
        "js/offline/lazy.js": b"export default 1;\n",
        "js/drafts.js": b"export const draft = 1;\n",
        "js/badge.js": b'import "./main.js";\n',  # a cycle keeps the plain name, which still answers
        "css/app.css": b"body{}",
    }
    before = assets.hashed_contents(files)
    main = before["js/main.js"][1].decode()  # minified: `from"./a.js"`
    assert f'from"./offline/{Path(before["js/offline/queue.js"][0]).name}"' in main
    queue = before["js/offline/queue.js"][1].decode()
    assert f'from"../{Path(before["js/drafts.js"][0]).name}"' in queue
    assert f'import("./{Path(before["js/offline/lazy.js"][0]).name}")' in queue
    # Every import, hashed or (in the cycle) plain, names a file that is served.
    served = {name for name in files} | {hashed for hashed, _ in before.values()}
    for name, (_, content) in before.items():
        for specifier in re.findall(r'(?:from ?|import ?\(?)"([^"]+)"', content.decode()):
            assert posixpath.normpath(posixpath.join(posixpath.dirname(name), specifier)) in served, specifier

    after = assets.hashed_contents({**files, "js/drafts.js": b"export const draft = 2;\n"})
    changed = {name for name in files if after[name][0] != before[name][0]}
    assert {"js/drafts.js", "js/offline/queue.js", "js/main.js"} <= changed
    assert "css/app.css" not in changed and "js/offline/lazy.js" not in changed


def test_a_new_release_is_a_new_service_worker(tmp_path):
    static = tmp_path / "static"
    (static / "js").mkdir(parents=True)
    (static / "js/sw.js").write_text("const CACHE_VERSION = 'x';\n")
    (static / "manifest.webmanifest").write_text('{"icons": []}')
    (static / "js/app.js").write_text("console.log(1);\n" * 40)

    def worker():
        root, names = assets.build(static, tmp_path / "builds")
        assert (Path(root) / names["js/app.js"]).exists() and (Path(root) / (names["js/app.js"] + ".gz")).exists()
        return assets.Release(static, "/static", str(root), names).service_worker

    first = worker()
    assert worker() == first  # the same files: the same bytes, so browsers keep their worker
    (static / "js/app.js").write_text("console.log(2);\n" * 40)
    assert worker() != first


def a_small_static_folder(folder):
    (folder / "css").mkdir(parents=True)
    (folder / "js").mkdir()
    (folder / "css/app.css").write_text("body { color: #111; }\n" * 60)
    (folder / "js/main.js").write_text('import { draft } from "./drafts.js";\n' + "console.log(draft);\n" * 60)
    (folder / "js/drafts.js").write_text("export const draft = 1;\n" * 60)
    return folder


@pytest.fixture
def compressions(monkeypatch):
    """The bytes each build gives to Brotli, as they go; compressing each one takes a while, as the
    scanner's WebAssembly does."""
    seen = []
    brotli_compress = Compressor.compress_brotli

    def counted(data):
        seen.append(data)
        time.sleep(0.2)
        return brotli_compress(data)

    monkeypatch.setattr(Compressor, "compress_brotli", staticmethod(counted))
    return seen


def test_a_new_release_compresses_only_the_files_it_changed(tmp_path, compressions):
    static = a_small_static_folder(tmp_path / "static")
    first, _ = assets.build(static, tmp_path / "builds")
    # A file and its hashed copy hold the same bytes (main.js naming drafts.js's hashed copy), compressed once.
    assert len(compressions) == len(set(compressions)) == 3

    compressions.clear()
    edited = (static / "css/app.css").read_text() + ".released { color: #0b3d91; }\n"
    (static / "css/app.css").write_text(edited)
    second, names = assets.build(static, tmp_path / "builds")
    assert second != first
    assert compressions == [assets._minified("css/app.css", edited.encode())]
    for name in ("css/app.css", "js/main.js", "js/drafts.js"):
        served = (second / names[name]).read_bytes()
        assert brotli.decompress((second / (names[name] + ".br")).read_bytes()) == served
        assert gzip.decompress((second / (names[name] + ".gz")).read_bytes()) == served


def test_servers_starting_together_share_one_build(tmp_path, compressions):
    static = a_small_static_folder(tmp_path / "static")
    roots = []
    starting = [threading.Thread(target=lambda: roots.append(assets.build(static, tmp_path / "builds")[0]))
                for _ in range(3)]
    for server in starting:
        server.start()
    for server in starting:
        server.join()
    assert len(roots) == 3 and len(set(roots)) == 1
    assert len(compressions) == 3  # one build's worth: the others waited for it
    assert [p.name for p in (tmp_path / "builds").iterdir() if p.is_dir()] == [roots[0].name]


def test_static_build_folder_from_the_environment_is_where_servers_find_the_build(tmp_path):
    shared = tmp_path / "shared"
    with make_app("sqlite:///" + str(tmp_path / "a.sqlite3")).app_context() as context:
        built = Path(context.app.extensions["assets"].root)
    shutil.copytree(built, shared / built.name)
    script = "import webapp; print(webapp.create_app().extensions['assets'].root)"
    env = dict(os.environ, STATIC_BUILD_FOLDER=str(shared), SECRET_KEY="x",
               DATABASE_URL="sqlite:///" + str(tmp_path / "b.sqlite3"))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(shared / built.name)


def test_in_development_an_edited_file_is_served_at_once_under_its_new_name(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what `flask run --debug` sets
    app = make_app("sqlite:///" + str(tmp_path / "dev.sqlite3"))
    app.instance_path = str(tmp_path)
    app.static_folder = str(shutil.copytree(STATIC, tmp_path / "static"))
    client = app.test_client()

    def stylesheet():
        return re.search(r'href="(/static/css/[^"]+)"', client.get("/login").get_data(as_text=True)).group(1)

    before = stylesheet()
    edited = (STATIC / "css/app.css").read_text() + "\n.edited { color: red; }\n"
    (tmp_path / "static/css/app.css").write_text(edited)
    after = stylesheet()
    assert after != before and decoded(fetch(client, after)) == assets._minified("css/app.css", edited.encode())
    assert b".edited{color:red}" in decoded(fetch(client, after))


def test_an_installed_wheel_serves_its_bundled_static_files_hashed_and_compressed(tmp_path, installed_wheel):
    script = (
        "import re, webapp; c = webapp.create_app().test_client();"
        "href = re.search(r'href=\"(/static/css/[^\"]+)\"', c.get('/login').get_data(as_text=True)).group(1);"
        "r = c.get(href, headers={'Accept-Encoding': 'br'}); r.close();"
        "print(href, r.status_code, r.headers['Content-Encoding'], r.headers['Cache-Control'])"
    )
    env = dict(os.environ, PYTHONPATH=str(installed_wheel), SECRET_KEY="x",
               DATABASE_URL="sqlite:///" + str(tmp_path / "w.sqlite3"))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    href, status, encoding, cache = result.stdout.split(" ", 3)
    assert HASHED.search(href) and (status, encoding) == ("200", "br")
    assert cache.strip() == "public, max-age=31536000, immutable"
