"""Accounts: sign up, log in, log out, and the profile that feeds the card.

The account's own controls (password, sessions, deleting it) are in `controls`; sessions in
`sessions`; the limits on tries in `throttle`.
"""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from peewee import IntegrityError

from .. import db, kept, rules, web
from ..links import safe_next
from ..models import User
from . import controls, reset, sessions, throttle
from .forms import ALREADY_AN_ACCOUNT, LoginForm, ProfileForm, SignupForm
from .passwords import check_against_nothing, hash_password, password_matches
from .sessions import start_session

bp = Blueprint("accounts", __name__)
YEAR = 365 * 24 * 60 * 60


def init_app(app):
    sessions.init_app(app)
    throttle.init_app(app)
    app.register_blueprint(controls.bp)
    app.cli.add_command(reset.reset_link_command)
    reset.warn_if_mail_is_half_set(app)


@bp.route("/signup", methods=("GET", "POST"))
def signup():
    """Create an account with an email and a password, then go straight to the profile."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignupForm()
    valid = form.validate_on_submit()
    if valid or ALREADY_AN_ACCOUNT in form.email.errors:
        # Asking whether an email has an account counts as a try: the list of users cannot be read off
        # this form faster than accounts can be made.
        too_many = throttle.refused(("SIGNUPS_PER_ADDRESS", throttle.client_address()))
        if too_many:
            return too_many
    if valid:
        try:
            with db.write():
                user = User.create(
                    email=form.email.data,
                    password_hash=hash_password(form.password.data),
                    display_name=(form.display_name.data or "").strip(),
                    timezone=form.timezone.data or "UTC",
                )
        except IntegrityError:
            form.email.errors.append(ALREADY_AN_ACCOUNT)
        else:
            start_session(user)
            flash("Welcome to Hallway. Add your LinkedIn profile to get your QR card.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Log in with email and password; go back to the page that asked for it."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = rules.account_with_email(form.email.data)  # as the form normalised it: one spelling per address
        # Counted before the slow hash (parallel guesses and other workers see every try), under the account
        # itself: however its email is spelled, an account has one count.
        account = user.email if user else form.email.data
        too_many = throttle.refused(("LOGINS_PER_ADDRESS", throttle.client_address()),
                                    ("FAILED_LOGINS_PER_ACCOUNT", account), at_login=True)
        if too_many:
            return too_many
        if user is None:
            check_against_nothing(form.password.data)
        elif password_matches(user, form.password.data):
            throttle.give_back("FAILED_LOGINS_PER_ACCOUNT", account)
            start_session(user)
            return redirect(safe_next(form.next.data) or url_for("home.index"))
        form.password.errors.append("That email and password do not match.")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=("POST",))
def logout():
    """Log out on this device (the others stay logged in); the page tells the phone to forget this account's saved
    pages."""
    if current_user.is_authenticated:
        with db.write():
            current_user.log_out_here()
    # Nothing of this account may reach whoever uses the phone next, not even a pending message.
    session.clear()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("accounts.login", logged_out=1))


@bp.route("/profile", methods=("GET", "POST"))
@login_required
def profile():
    """Name, headline and LinkedIn address: what the card shows."""
    if request.method == "GET":
        # Kept per address the page was asked at: the calendar feed's link is a full address.
        body = kept.part("profile", lambda: render_template("accounts/_profile_page.html",
                                                            form=ProfileForm(obj=current_user)), request.host_url)
        return render_template("accounts/profile.html", body=body, controls=_account_controls())
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        with db.write():
            User.update(
                display_name=form.display_name.data.strip(),
                headline=(form.headline.data or "").strip(),
                linkedin_url=form.linkedin_url.data or "",
                timezone=form.timezone.data,
            ).where(User.id == current_user.id).execute()
        flash("Profile saved.", "success")
        response = redirect(url_for("card.show") if form.linkedin_url.data else url_for("accounts.profile"))
        if form.timezone.data != current_user.timezone:
            # Chosen here: this device's zone too, whatever its clock says (a laptop set to UTC), until the
            # device's own zone changes (static/js/phone-zone.js).
            web.cookie_for_the_page(response, sessions.PHONE_ZONE_COOKIE, form.timezone.data, max_age=YEAR)
            # Said to be chosen: kept by the device's script even when it has not run here yet (a slow phone).
            web.cookie_for_the_page(response, sessions.ZONE_SEEN_COOKIE, sessions.ZONE_CHOSEN, max_age=YEAR)
        return response
    return render_template("accounts/profile.html", form=form, controls=_account_controls())


def _account_controls():
    """The account's controls under the profile, with the devices logged in: read on every visit (they change
    without the account: a login elsewhere, a device used), and made again only when what they list has."""
    logins = sessions.logins_of(current_user)
    listed = tuple((login.id, described) for login, described in logins)
    return kept.part("account controls", lambda: render_template("accounts/_account_controls.html", logins=logins),
                     current_user.this_device.id, listed)
