"""My card: the LinkedIn QR shown instead of a business card."""

import re

from webapp import card
from webapp.card import qr


def set_linkedin(client, url, name="Ada Lovelace", headline="Analyst at Babbage & Co"):
    response = client.post("/profile", data={"display_name": name, "headline": headline, "linkedin_url": url,
                                             "timezone": "UTC"})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_without_a_linkedin_url_the_card_says_how_to_add_one(client, user):
    page = client.get("/card").get_data(as_text=True)
    assert "<svg" not in page
    assert "Your card needs your LinkedIn" in page and 'href="/profile"' in page


def test_the_card_shows_a_qr_with_name_headline_and_the_url_in_text(client, user):
    set_linkedin(client, "linkedin.com/in/ada-lovelace")
    page = client.get("/card").get_data(as_text=True)
    svg = re.search(r"<svg class=\"qr\".*?</svg>", page, re.S).group(0)
    assert 'aria-label="QR code for https://www.linkedin.com/in/ada-lovelace"' in svg
    assert 'fill="#fff"' in svg and 'fill="#000"' in svg  # black on white, whatever the page behind it
    assert " width=" not in svg.split(">")[0]  # sized by CSS to fill the phone's width
    assert "Ada Lovelace" in page and "Analyst at Babbage &amp; Co" in page
    assert "linkedin.com/in/ada-lovelace" in page


def test_an_address_beyond_ascii_is_shown_as_people_read_it_and_linked_encoded(client, user):
    set_linkedin(client, "https://www.linkedin.com/in/jürgen-müller-12ab34")
    page = client.get("/card").get_data(as_text=True)
    shown = re.search(r'<p class="card-url"><a href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert shown.groups() == ("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-12ab34",
                              "linkedin.com/in/jürgen-müller-12ab34")
    assert "QR code for https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-12ab34" in page


def test_the_qr_has_a_quiet_zone_and_error_correction_m():
    svg = qr.profile_qr_svg("https://www.linkedin.com/in/ada-lovelace")
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    coordinates = [int(n) for n in re.findall(r"[MHV](\d+)", svg)]
    assert min(coordinates) == qr.QUIET_ZONE and max(coordinates) == size - qr.QUIET_ZONE
    assert qr.ERROR_CORRECTION == qr.qrcode.constants.ERROR_CORRECT_M


def test_the_card_is_built_once_per_address_and_anew_when_it_changes(client, user):
    qr.profile_qr_svg.cache_clear()
    card.card_html.cache_clear()
    set_linkedin(client, "linkedin.com/in/ada-lovelace")
    first = client.get("/card").get_data(as_text=True)
    client.get("/card")
    # The whole card (QR, name, address) is kept: the second visit renders neither the QR nor the card.
    assert (card.card_html.cache_info().misses, card.card_html.cache_info().hits) == (1, 1)
    assert qr.profile_qr_svg.cache_info().misses == 1
    set_linkedin(client, "linkedin.com/in/countess-of-lovelace")
    second = client.get("/card").get_data(as_text=True)
    assert card.card_html.cache_info().misses == 2 and qr.profile_qr_svg.cache_info().misses == 2
    assert "countess-of-lovelace" in second and "countess-of-lovelace" not in first
    set_linkedin(client, "linkedin.com/in/countess-of-lovelace", name="Augusta Ada King", headline="Countess")
    third = client.get("/card").get_data(as_text=True)
    assert "Augusta Ada King" in third and "Countess" in third and "Analyst at Babbage" not in third


def test_my_card_is_one_tap_from_every_page(client, user):
    for path in ("/", "/profile", "/events/new", "/events/"):
        assert 'href="/card"' in client.get(path).get_data(as_text=True), path
