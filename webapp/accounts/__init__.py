"""Accounts: sign up, log in, log out, and the profile that feeds the card."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from peewee import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import db
from ..links import safe_next
from ..models import User
from .forms import LoginForm, ProfileForm, SignupForm

bp = Blueprint("accounts", __name__)
login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Log in to see that page."
login_manager.login_message_category = "info"

# Password guessing is slowed per account, wherever it comes from. Only failed attempts count
# (a successful login redirects). Counters live in each worker's memory: with N workers an
# attacker gets at most N times the limit, which still stops a dictionary attack.
limiter = Limiter(get_remote_address, storage_uri="memory://", headers_enabled=False)
FAILED_LOGINS_PER_ACCOUNT = "10 per minute;50 per hour"


def _login_email():
    return "login:" + (request.form.get("email") or "").strip().lower()


# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = None


def init_app(app):
    login_manager.init_app(app)
    limiter.init_app(app)


@login_manager.user_loader
def load_user(user_id):
    if not str(user_id).isdigit():
        return None
    return User.by_id(int(user_id))


def hash_password(password):
    from flask import current_app

    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


@bp.route("/signup", methods=("GET", "POST"))
def signup():
    """Create an account with an email and a password, then go straight to the profile."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            with db.write():
                user = User.create(
                    email=form.email.data,
                    password_hash=hash_password(form.password.data),
                    display_name=(form.display_name.data or "").strip(),
                    timezone=form.timezone.data or "UTC",
                )
        except IntegrityError:
            form.email.errors.append("There is already an account with this email. Log in instead.")
        else:
            login_user(user, remember=True)
            flash("Welcome to Hallway. Add your LinkedIn profile to get your QR card.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=("GET", "POST"))
@limiter.limit(FAILED_LOGINS_PER_ACCOUNT, key_func=_login_email, methods=["POST"],
               deduct_when=lambda response: response.status_code != 302)
def login():
    """Log in with email and password; go back to the page that asked for it."""
    global _DUMMY_HASH
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = User.get_or_none(User.email == form.email.data)
        if user is None:
            _DUMMY_HASH = _DUMMY_HASH or hash_password("not a real password")
            check_password_hash(_DUMMY_HASH, form.password.data)
        elif check_password_hash(user.password_hash, form.password.data):
            login_user(user, remember=True)
            return redirect(safe_next(form.next.data) or url_for("home.index"))
        form.password.errors.append("That email and password do not match.")
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=("POST",))
def logout():
    """Log out; the page tells the phone to forget this account's saved pages."""
    # Nothing of this account may reach whoever uses the phone next, not even a pending message.
    # Cleared before logout_user(), which leaves the note that deletes the remember-me cookie.
    session.clear()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("accounts.login", logged_out=1))


@bp.route("/profile", methods=("GET", "POST"))
@login_required
def profile():
    """Name, headline and LinkedIn address: what the card shows."""
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
        return redirect(url_for("card.show") if form.linkedin_url.data else url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)
