"""What people paste as their LinkedIn address becomes one canonical profile URL."""

import json
import unicodedata

import pytest
from js_modules import ROOT, run_node

from webapp.linkedin import NotAProfile, canonical_profile_url, readable_profile_url

DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize("pasted", [
    "linkedin.com/in/jane-doe",
    "www.linkedin.com/in/jane-doe/",
    "https://www.linkedin.com/in/jane-doe?trk=public_profile_browsemap",
    "https://www.linkedin.com/in/jane-doe?utm_source=share&utm_campaign=share_via&utm_content=profile&utm_medium=ios_app",
    "http://linkedin.com/in/Jane-Doe",
    "https://uk.linkedin.com/in/jane-doe",
    "https://m.linkedin.com/in/jane-doe/",
    "  https://www.linkedin.com/in/jane-doe/en  ",
    "https://www.linkedin.com/in/jane-doe#experience",
])
def test_pasted_profile_addresses_become_the_canonical_url(pasted):
    assert canonical_profile_url(pasted) == "https://www.linkedin.com/in/jane-doe"


def test_handles_beyond_ascii_are_kept_percent_encoded():
    assert canonical_profile_url("linkedin.com/in/jörg-müller") == "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"
    assert canonical_profile_url("linkedin.com/in/j%C3%B6rg-m%C3%BCller") == \
        "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"
    # Pasted with each accent as a letter and a combining mark (as some keyboards and Macs do): the same address.
    decomposed = unicodedata.normalize("NFD", "linkedin.com/in/jörg-müller")
    assert decomposed != "linkedin.com/in/jörg-müller"
    assert canonical_profile_url(decomposed) == "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller"


# What a copy brings along that no one sees: a zero-width space, a byte order mark, direction marks.
INVISIBLE_AROUND_AND_INSIDE = [
    "https://www.linkedin.com/in/jane-doe\u200b",
    "\u200bhttps://www.linkedin.com/in/jane-doe",
    "\ufeffhttps://www.linkedin.com/in/jane-doe",
    "\u200e https://www.linkedin.com/in/jane-doe/\u200f",
    "linkedin.com/in/jane\u200b-doe",
    "https://www.linkedin.com/in/\u2060jane-doe\u200d?trk=share",
]


@pytest.mark.parametrize("pasted", INVISIBLE_AROUND_AND_INSIDE)
def test_invisible_characters_copied_with_an_address_are_not_part_of_it(pasted):
    assert canonical_profile_url(pasted) == "https://www.linkedin.com/in/jane-doe"


def test_direction_marks_written_into_an_address_are_part_of_it():
    """LinkedIn made a few handles from names with direction marks: the address spells them, the profile has them."""
    made = "https://www.linkedin.com/in/%E2%80%ABnir-smilga%E2%80%AC%E2%80%8E-1a744631"
    assert canonical_profile_url(made + "/\u200b") == made


@pytest.mark.parametrize("pasted, says", [
    ("javascript:alert(1)", "linkedin.com/in/your-name"),
    ("https://example.com/in/jane-doe", "not a LinkedIn address"),
    ("https://www.linkedin.com/company/acme", "not a person's profile"),
    ("https://lnkd.in/dXyZ123", "short link"),
    ("linkedin.com/in/", "linkedin.com/in/your-name"),
    ("https://linkedin.com.evil.example/in/jane", "not a LinkedIn address"),
    ("https://www.linkedin.com@evil.example/in/jane", "not a LinkedIn address"),
    ("ftp://linkedin.com/in/jane", "linkedin.com/in/your-name"),
    ("data:text/html,<b>hi</b>", "linkedin.com/in/your-name"),
    ("linkedin.com/in/<script>", "characters LinkedIn does not use"),
    ("linkedin.com/in/a", "cut short"),
    ("linkedin.com/in/x" + "a" * 150, "longer than any LinkedIn gives"),
    ("", "linkedin.com/in/your-name"),
])
def test_anything_else_gets_a_message_saying_what_is_expected(pasted, says):
    with pytest.raises(NotAProfile) as error:
        canonical_profile_url(pasted)
    assert says in str(error.value)


# --- The same rule on the server and on the phone, against links found in public code -----------------

LINKS = json.loads((DATA / "linkedin-links.json").read_text(encoding="utf-8"))["links"]


def test_the_links_corpus_is_big_and_varied_enough_to_mean_something():
    assert len(LINKS) >= 80
    assert sum("profile" in case for case in LINKS) >= 60
    for kind in ("/mwlite/in/", "/comm/in/", "ACoAA", "%C3", "linkedin.com./", "/pub/", "profile/view?id=",
                 "lnkd.in", "utm_source", "/en/", "李"):
        assert any(kind in case["link"] for case in LINKS), kind


@pytest.mark.parametrize("case", LINKS, ids=lambda case: case["link"][:70])
def test_the_server_classifies_every_real_link(case):
    if "profile" in case:
        assert canonical_profile_url(case["link"]) == case["profile"]
    else:
        with pytest.raises(NotAProfile) as error:
            canonical_profile_url(case["link"])
        assert case["refused"] in str(error.value)


def test_the_phone_classifies_every_real_link_the_same_way_as_the_server():
    script = """
      const linkedin = require(process.argv[1]);
      const links = JSON.parse(require("fs").readFileSync(0, "utf8"));
      process.stdout.write(JSON.stringify(links.map((link) => linkedin.read(link))));
    """
    texts = [case["link"] for case in LINKS] + EXTRA_PHONE_CHECKS
    phone = run_node(script, ROOT / "static/js/linkedin.js", texts)
    for text, answer in zip(texts, phone, strict=True):
        try:
            server = canonical_profile_url(text)
        except NotAProfile as error:
            assert answer == {"profile": None, "message": str(error)}, text
        else:
            assert answer == {"profile": server, "message": ""}, text


def test_the_phone_shows_a_profile_address_as_readable_as_the_server_does():
    """ "linkedin.com/in/jürgen-müller-1a2b3c" after a scan, not "linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c"."""
    script = """
      const linkedin = require(process.argv[1]);
      const profiles = JSON.parse(require("fs").readFileSync(0, "utf8"));
      process.stdout.write(JSON.stringify(profiles.map(linkedin.readable)));
    """
    profiles = [case["profile"] for case in LINKS if "profile" in case]
    profiles.append(canonical_profile_url("https://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-1a2b3c"))
    assert any("%" in profile for profile in profiles)
    phone = run_node(script, ROOT / "static/js/linkedin.js", profiles)
    assert phone == [readable_profile_url(profile) for profile in profiles]
    assert phone[-1] == "linkedin.com/in/jürgen-müller-1a2b3c"


# Pasted text the corpus does not cover, where the two must still agree.
EXTRA_PHONE_CHECKS = ["javascript:alert(1)", "linkedin.com/in/<script>", "https://www.linkedin.com@evil.example/in/x",
                      "linkedin.com/in/", "", "ftp://linkedin.com/in/jane", "https://linkedin.com.evil.example/in/j",
                      "linkedin.com/in/jörg-müller", "https://www.linkedin.com/in/%E0%A4%A", "in/jane",
                      "linkedin.com/in/jo\u0308rg-mu\u0308ller", "linkedin.com/in/jo%CC%88rg",
                      *INVISIBLE_AROUND_AND_INSIDE, "linkedin.com/in/\u200b", "linkedin.com/in/j\u200b"]
