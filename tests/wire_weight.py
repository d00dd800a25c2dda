"""What a phone downloads for a page: the HTML and everything it loads, read from the real responses.

Shared by tests/test_wire.py and `python tests/wire_weight.py` (which prints the table for each page).
"""

import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from conftest import PASSWORD

PHONE = {"Accept-Encoding": "gzip, deflate, br, zstd"}
# A static `import ... from "x"`, `export ... from "x"` or `import "x"` in an ES module.
STATIC_IMPORT = re.compile(r"""(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']""")


class _Loads(HTMLParser):
    """The URLs a browser fetches as soon as it reads the page: stylesheets, icons, the manifest, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The home-screen icon is fetched only when the page is added to the home screen, never on a visit.
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("preconnect", "apple-touch-icon"):
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def fetch(client, url, **headers):
    """The response read whole and closed (static files are sent from open files)."""
    response = client.get(url, headers=headers or PHONE)
    response.get_data()
    response.close()
    return response


def wire_bytes(response):
    """Bytes on the wire for one HTTP/1.1 response: status line, headers and the body as sent."""
    head = len(f"HTTP/1.1 {response.status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in response.headers.items())
    return head + 2 + len(response.get_data())


def loaded_by(client, html, page_url):
    """Every response a first visit to the page fetches after its HTML, following the scripts' static imports."""
    parser = _Loads()
    parser.feed(html)
    queue = [urljoin(page_url, u) for u in parser.urls]
    seen, responses = set(), {}
    while queue:
        url = urlsplit(queue.pop(0)).path
        if url in seen:
            continue
        seen.add(url)
        response = fetch(client, url)
        responses[url] = response
        if response.mimetype == "text/javascript" and response.status_code == 200:
            text = _decoded(response)
            queue += [urljoin(url, spec) for spec in STATIC_IMPORT.findall(text) if spec.startswith((".", "/"))]
    return responses


def _decoded(response):
    import gzip

    import brotli

    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(data).decode()
    if encoding == "gzip":
        return gzip.decompress(data).decode()
    return data.decode()


def page_weight(client, url):
    """(HTML bytes, bytes of everything it loads, the responses) for a first visit with an empty cache."""
    page = fetch(client, url)
    assert page.status_code == 200, (url, page.status_code)
    assets = loaded_by(client, _decoded(page), url)
    return wire_bytes(page), sum(wire_bytes(r) for r in assets.values()), assets


def london_today():
    return datetime.now(ZoneInfo("Europe/London")).date()


def a_busy_evening(client, people=30):
    """An account on its event day, through the real forms: a card, today's event with `people` logged
    (notes, companies, some follow-ups), and an older event. Returns the key pages' URLs by name."""
    assert client.post("/signup", data={"email": "ada@example.com", "password": PASSWORD,
                                        "display_name": "Ada Lovelace", "timezone": "Europe/London"}).status_code == 302
    client.post("/profile", data={"display_name": "Ada Lovelace", "headline": "Engineer, analyst",
                                  "linkedin_url": "https://www.linkedin.com/in/ada-lovelace/",
                                  "timezone": "Europe/London"})
    older = client.post("/events/new", data={"name": "Rust Meetup", "starts_on": "2026-01-15", "kind": "meetup",
                                             "goal": "3"}).headers["Location"]
    event = client.post("/events/new", data={"name": "PyData Berlin", "starts_on": london_today().isoformat(),
                                             "kind": "conference", "goal": "40", "place": "Kulturbrauerei"}
                        ).headers["Location"]
    for n in range(people):
        fields = {"name": f"Person Number{n}", "company": f"Company {n % 7}", "role": "Data engineer",
                  "notes": f"Talked about streaming pipelines and hiring, topic {n}", "tags": "data, python"}
        if n % 3 == 0:
            fields.update(follow_up="y", follow_up_reason=f"send the slides of talk {n}")
        assert client.post(event + "/people/new", data=fields).status_code == 302
    client.post(older + "/people/new", data={"name": "Someone Earlier", "company": "Ferrous"})
    # A phone follows each save to the page that says how it went: no message is left over for the first page
    # measured, whichever test asks first.
    client.get(older)
    return {"home": "/", "event": event, "log form": event + "/people/new", "card": "/card",
            "People": "/people", "Follow-ups": "/follow-ups/", "Insights": "/insights/", "Profile": "/profile"}


def main():
    import sys
    import tempfile

    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "weight", "WTF_CSRF_ENABLED": False,
                          "DATABASE_URL": f"sqlite:///{tmp}/w.sqlite3", "PASSWORD_METHOD": "pbkdf2:sha256:1000"})
        client = app.test_client()
        pages = a_busy_evening(client)
        print(f"{'page':<12} {'HTML':>8} {'loads':>8} {'first':>8}   assets")
        for name, url in pages.items():
            html, assets, responses = page_weight(client, url)
            listing = ", ".join(f"{u.rsplit('/', 1)[1]} {wire_bytes(r)}" for u, r in responses.items())
            print(f"{name:<12} {html:>8} {assets:>8} {html + assets:>8}   {listing}", file=sys.stdout)


if __name__ == "__main__":
    main()
