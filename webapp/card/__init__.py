"""My card: a big QR code of the user's LinkedIn profile, shown instead of a business card."""

import functools

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from ..linkedin import readable_profile_url
from .qr import profile_qr_svg

bp = Blueprint("card", __name__)


@bp.route("/card")
@login_required
def show():
    """The QR of the user's LinkedIn profile, their name and headline, ready to be scanned."""
    card = None
    if current_user.linkedin_url:
        card = card_html(current_user.display_name or current_user.email, current_user.headline,
                         current_user.linkedin_url)
    return render_template("card/show.html", card=card)


@functools.lru_cache(maxsize=2048)
def card_html(name, headline, url):
    """The card (QR, name, headline, address) as HTML, kept until the user changes one of them.

    The card is the page opened most at an event, often many times an evening: only the header
    and the page's token are rendered for each visit.
    """
    return Markup(render_template("card/_card.html", name=name, headline=headline, url=url,
                                  shown_url=readable_profile_url(url), qr=Markup(profile_qr_svg(url))))
