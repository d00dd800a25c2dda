"""My card: a big QR code of the user's LinkedIn profile, shown instead of a business card."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from .qr import profile_qr_svg

bp = Blueprint("card", __name__)


@bp.route("/card")
@login_required
def show():
    """The QR of the user's LinkedIn profile, their name and headline, ready to be scanned."""
    qr = Markup(profile_qr_svg(current_user.linkedin_url)) if current_user.linkedin_url else None
    return render_template("card/show.html", qr=qr)
