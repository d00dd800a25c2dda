"""Forms for signing up, logging in, the profile behind the card, and the account's controls."""

from wtforms import EmailField, HiddenField, PasswordField, StringField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation, ValidationError

from .. import rules
from ..forms import Form, suggested_zones, time_zone
from ..linkedin import LONGEST_PASTED
from ..rules import normalised_email
from .passwords import PASSWORD_MAX, PASSWORD_MIN, TOO_LONG, TOO_SHORT, not_common

ALREADY_AN_ACCOUNT = "There is already an account with this email. Log in instead."


def no_invisible_characters(form, field):
    """Said instead of "Invalid email address", which does not say what is wrong with an address that looks right."""
    if rules.has_invisible_characters(field.data):
        raise StopValidation(rules.INVISIBLE_IN_EMAIL)


def no_spaces(form, field):
    """A no-break space a copy brought along looks like any space; the ends are stripped, one inside is said."""
    if any(c.isspace() for c in field.data or ""):
        raise StopValidation(rules.SPACE_IN_EMAIL)


def email_field(an_address=True):
    """The email of sign-up, log in and forgotten password. an_address=False skips the check that it is a valid
    address: an account made under older rules still logs in."""
    checks = [DataRequired(), no_invisible_characters, no_spaces]
    if an_address:
        checks.append(Email(check_deliverability=False))
    return EmailField("Email", validators=[*checks, Length(max=254)], filters=[normalised_email])


def new_password_field(label="Password"):
    return PasswordField(label, validators=[
        DataRequired(TOO_SHORT), Length(min=PASSWORD_MIN, message=TOO_SHORT),
        Length(max=PASSWORD_MAX, message=TOO_LONG), not_common])


class SignupForm(Form):
    email = email_field()
    password = new_password_field()
    display_name = StringField("Your name", validators=[Optional(), Length(max=rules.LONGEST["user.display_name"])])
    # Filled in by the browser's own time zone where JavaScript runs; "today" depends on it.
    timezone = HiddenField(default="UTC")

    def validate_email(self, field):
        if rules.account_with_email(field.data) is not None:
            raise ValidationError(ALREADY_AN_ACCOUNT)

    def validate_timezone(self, field):
        if not rules.is_time_zone(field.data):
            field.data = "UTC"


class LoginForm(Form):
    # An invisible character is said as at sign-up, whether or not the address has an account, and costs no
    # password hash, so it is not counted.
    email = email_field(an_address=False)
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    next = HiddenField()


class ProfileForm(Form):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=rules.LONGEST["user.display_name"])])
    headline = StringField("Headline", validators=[Optional(), Length(max=rules.LONGEST["user.headline"])],
                           description='One line under your QR, e.g. "Data engineer at Acme".')
    linkedin_url = URLField("LinkedIn profile", validators=[Optional(), Length(max=LONGEST_PASTED)],
                            description="Paste it from the LinkedIn app: Share profile, Copy link.")
    timezone = StringField("Time zone", validators=[DataRequired("Enter your time zone, such as Europe/London.")],
                           default="UTC", description="Home, for the calendar feed: a phone's days follow its own "
                                                      "time zone, wherever you are. Type a city: Europe/London, "
                                                      "America/New_York, Asia/Tokyo.")

    validate_timezone = time_zone

    def suggested_zones(self):
        return suggested_zones(self.timezone.data)

    def validate_linkedin_url(self, field):
        try:
            field.data = rules.linkedin_profile(field.data)
        except rules.Invalid as e:
            raise ValidationError(str(e)) from None


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password."),
                                                                     Length(max=PASSWORD_MAX)])
    new_password = new_password_field("New password")


class ForgotPasswordForm(Form):
    email = email_field()


class ResetPasswordForm(Form):
    new_password = new_password_field("New password")


class DeleteAccountForm(Form):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to delete the account."),
                                                          Length(max=PASSWORD_MAX)])
