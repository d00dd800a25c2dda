"""The account's own controls: change the password, log out one device or all of them, reset a
forgotten password, and delete the account with everything in it."""

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from .. import db, rules, search
from ..forms import ConfirmForm
from ..models import User
from . import reset, throttle
from .forms import ChangePasswordForm, DeleteAccountForm, ForgotPasswordForm, ResetPasswordForm
from .passwords import hash_password, password_matches
from .sessions import start_session

bp = Blueprint("account", __name__, url_prefix="/account")


def _set_password(user, password):
    """A new password ends every session and every reset link of the account; the device that set it logs in
    again (start_session) with a login of its own. Wrong passwords counted against the account are forgotten:
    they were guesses at a password that no longer works, and the owner, who proved it by the old password or
    the reset link, logs in with the new one at once on every device."""
    with db.write():
        user.password_hash = hash_password(password)
        user.log_out_everywhere()
        User.update(password_hash=user.password_hash).where(User.id == user.id).execute()
        for limit in ("FAILED_LOGINS_PER_ACCOUNT", "WRONG_PASSWORDS_LOGGED_IN"):
            throttle.forget(limit, user.email)


@bp.route("/password", methods=("GET", "POST"))
@login_required
def password():
    """Change the password (the current one is asked first); other devices are logged out, this one stays."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        if not throttle.take("WRONG_PASSWORDS_LOGGED_IN", user.email):
            form.current_password.errors.append(throttle.wait_message("WRONG_PASSWORDS_LOGGED_IN", user.email))
        elif not password_matches(user, form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            throttle.give_back("WRONG_PASSWORDS_LOGGED_IN", user.email)
            _set_password(user, form.new_password.data)
            start_session(user)
            flash("Password changed. Every other device has been logged out.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.route("/log-out-everywhere", methods=("POST",))
@login_required
def log_out_everywhere():
    """End every session of the account, on every device, this one included (a lost phone, a shared laptop)."""
    if ConfirmForm().validate_on_submit():
        with db.write():
            current_user.log_out_everywhere()
        session.clear()
        logout_user()
        flash("You are logged out on every device.", "info")
        return redirect(url_for("accounts.login", logged_out=1))
    return redirect(url_for("accounts.profile"))


@bp.route("/logins/<int:login_id>/log-out", methods=("POST",))
@login_required
def log_out_device(login_id):
    """End one other device's session (a borrowed laptop, a lost phone) from the profile's list; the others, this
    one included, stay logged in."""
    login = current_user.login_or_404(login_id)
    if ConfirmForm().validate_on_submit():
        with db.write():
            login.delete_instance()
        flash(f"{login.device or 'That device'} is logged out.", "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/delete", methods=("GET", "POST"))
@login_required
def delete():
    """Delete the account and everything in it, after the password; the backup is offered first."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)
        if not throttle.take("WRONG_PASSWORDS_LOGGED_IN", user.email):
            form.password.errors.append(throttle.wait_message("WRONG_PASSWORDS_LOGGED_IN", user.email))
        elif not password_matches(user, form.password.data):
            form.password.errors.append("That is not your password.")
        else:
            delete_account(user)
            session.clear()
            logout_user()
            flash("Your account and everything in it are deleted.", "info")
            return redirect(url_for("accounts.signup", logged_out=1))
    return render_template("accounts/delete.html", form=form)


def delete_account(user):
    """Every row of the account, in one transaction: the database's ON DELETE CASCADE follows each link
    (events, people, conversations, tags, follow-ups, outcomes), and with the row goes its session token."""
    with db.write(), search.deleted_with_owner(db.database(), user.id):
        User.delete().where(User.id == user.id).execute()


@bp.route("/forgot-password", methods=("GET", "POST"))
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not there is an account for the email."""
    form = ForgotPasswordForm()
    sent_to = None
    if form.validate_on_submit():
        user = rules.account_with_email(form.email.data)
        # Counted under the account itself: another spelling of its email sends no more mails.
        too_many = throttle.refused(("RESET_REQUESTS_PER_ADDRESS", throttle.client_address()),
                                    ("RESET_REQUESTS_PER_ACCOUNT", user.email if user else form.email.data))
        if too_many:
            return too_many
        if user is not None and reset.mail_configured():
            reset.mail_link_soon(user, reset.link_for(user))
        sent_to = form.email.data
    return render_template("accounts/forgot.html", form=form, sent_to=sent_to, mail=reset.mail_configured())


@bp.route("/reset/<token>", methods=("GET", "POST"))
def reset_password(token):
    """Choose a new password from a reset link; it then logs in here and out everywhere else."""
    user = reset.user_for_token(token)
    if user is None:
        return render_template("accounts/reset_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        _set_password(user, form.new_password.data)
        start_session(user)
        flash("New password saved. You are logged in.", "success")
        return redirect(url_for("home.index"))
    return render_template("accounts/reset.html", form=form)
