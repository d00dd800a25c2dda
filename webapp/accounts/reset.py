"""Forgotten passwords: a link that works once, for an hour at most, and dies when the password changes.

The link carries the account id and a fingerprint of the current password hash, signed with the
app's secret: setting a new password changes the hash, so a used link (or any older one) no longer
matches. Self-hosted servers often have no mail: `flask --app webapp reset-link EMAIL` prints the
link; when MAIL_SERVER is set, the link is also mailed.
"""

import hashlib
import hmac
import smtplib
import ssl
import threading
from email.message import EmailMessage

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..models import User
from ..rules import account_with_email, normalised_email

LINK_MAX_AGE = 3600  # seconds


def _signer(app=None):
    app = app or current_app
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="hallway-password-reset")


def _fingerprint(user):
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def make_token(user):
    return _signer().dumps({"user": user.id, "password": _fingerprint(user)})


def user_for_token(token):
    """The account a reset token is for, or None if it is forged, expired, used or out of date."""
    max_age = current_app.config.get("RESET_LINK_MAX_AGE", LINK_MAX_AGE)
    try:
        payload = _signer().loads(token, max_age=max_age)
        user = User.get_or_none(User.id == int(payload["user"]))
        fingerprint = str(payload["password"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if user is None or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        return None
    return user


def link_for(user):
    """The full address of a reset link: PUBLIC_URL when set (always set it when mail is on), else this host."""
    path = url_for("account.reset_password", token=make_token(user))
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + path
    return url_for("account.reset_password", token=make_token(user), _external=True)


# --- Mail ------------------------------------------------------------------------------------------

def mail_configured(app=None):
    """Links go by mail only where both MAIL_SERVER and PUBLIC_URL are set: built from the request's Host
    header, a link could point at someone else's site with a working token in it."""
    config = (app or current_app).config
    return bool(config.get("MAIL_SERVER") and config.get("PUBLIC_URL"))


def warn_if_mail_is_half_set(app):
    if app.config.get("MAIL_SERVER") and not app.config.get("PUBLIC_URL"):
        app.logger.warning("MAIL_SERVER is set but PUBLIC_URL is not: password reset links are not mailed "
                           "until PUBLIC_URL says where users open Hallway (flask reset-link EMAIL prints one).")


def reset_message(app, to, link):
    message = EmailMessage()
    message["Subject"] = "Reset your Hallway password"
    message["From"] = app.config.get("MAIL_FROM") or f"hallway@{app.config['MAIL_SERVER']}"
    message["To"] = to
    message.set_content(
        "Someone (hopefully you) asked to reset the password of your Hallway account.\n\n"
        f"Open this link within an hour to choose a new password:\n{link}\n\n"
        "It works once. If you did not ask for it, ignore this mail: your password stays as it is.\n")
    return message


def send_mail(app, message):
    """Send with the MAIL_* settings: SMTPS with MAIL_USE_SSL, STARTTLS with MAIL_USE_TLS, login when given."""
    config = app.config
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25))
    context = ssl.create_default_context()
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=20, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=20)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=context)
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def mail_link_soon(user, link):
    """Send in the background: the page answers at once, and as fast whether or not the account exists."""
    app = current_app._get_current_object()
    message = reset_message(app, user.email, link)

    def send():
        try:
            send_mail(app, message)
        except (OSError, smtplib.SMTPException):
            app.logger.exception("the password reset mail could not be sent")

    thread = threading.Thread(target=send, name="reset-mail", daemon=True)
    thread.start()
    return thread


# --- The command for servers without mail -----------------------------------------------------------

@click.command("reset-link")
@click.argument("email")
@with_appcontext
def reset_link_command(email):
    """Print a password reset link for the account with EMAIL (valid for an hour, once)."""
    user = account_with_email(normalised_email(email))
    if user is None:
        raise click.ClickException(f"There is no account with the email {email}.")
    with current_app.test_request_context(base_url=current_app.config.get("PUBLIC_URL") or "http://localhost:5000"):
        click.echo(link_for(user))
