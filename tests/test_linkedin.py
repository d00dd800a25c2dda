"""What people paste as their LinkedIn address becomes one canonical profile URL."""

import pytest

from webapp.linkedin import NotAProfile, canonical_profile_url


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
    ("linkedin.com/in/<script>", "cut short"),
    ("", "linkedin.com/in/your-name"),
])
def test_anything_else_gets_a_message_saying_what_is_expected(pasted, says):
    with pytest.raises(NotAProfile) as error:
        canonical_profile_url(pasted)
    assert says in str(error.value)
