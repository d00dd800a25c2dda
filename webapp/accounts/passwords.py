"""Passwords: how they are hashed, what is long enough, and which are too common to protect anything.

The common ones are the 30,000 most used passwords that zxcvbn ships (its "passwords" frequency
list, MIT licence); any of them, in any case, is refused.
"""

from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms.validators import ValidationError

PASSWORD_MIN, PASSWORD_MAX = 8, 256
TOO_SHORT = f"Use at least {PASSWORD_MIN} characters; a long passphrase is best."
TOO_LONG = f"Keep it to {PASSWORD_MAX} characters at most."
TOO_COMMON = "That password is one of the most commonly used, so it is among the first an attacker tries. " \
             "Pick another: a few unrelated words make a strong one."


@cache
def common_passwords():
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"] if len(p) >= PASSWORD_MIN)


def is_common(password):
    return password.lower() in common_passwords()


def not_common(form, field):
    """Form validator: refuse a password from the common list, or the account's own email."""
    if not field.data:
        return
    email = getattr(getattr(form, "email", None), "data", None)
    if is_common(field.data) or (email and field.data.lower() in (email, email.split("@")[0])):
        raise ValidationError(TOO_COMMON)


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


def password_matches(user, password):
    return check_password_hash(user.password_hash, password)


_DUMMY_HASHES = {}


def check_against_nothing(password):
    """Spend the same time as checking a real password, so an unknown email is not told apart by speed."""
    method = current_app.config["PASSWORD_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not anybody's password", method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
