"""Forms for signing up, logging in and the profile behind the card."""

from zoneinfo import available_timezones

from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..forms import Form
from ..linkedin import NotAProfile, canonical_profile_url
from ..models import User

PASSWORD_MIN, PASSWORD_MAX = 8, 256
TIMEZONES = sorted(available_timezones())


def normalised_email(value):
    return (value or "").strip().lower()


class SignupForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
                       filters=[normalised_email])
    password = PasswordField("Password", validators=[
        DataRequired(),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=f"Use at least {PASSWORD_MIN} characters; a long passphrase is best."),
    ])
    display_name = StringField("Your name", validators=[Optional(), Length(max=80)])
    # Filled in by the browser's own time zone where JavaScript runs; "today" depends on it.
    timezone = HiddenField(default="UTC")

    def validate_email(self, field):
        if User.select().where(User.email == field.data).exists():
            raise ValidationError("There is already an account with this email. Log in instead.")

    def validate_timezone(self, field):
        if field.data not in TIMEZONES and field.data != "UTC":
            field.data = "UTC"


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)], filters=[normalised_email])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    next = HiddenField()


class ProfileForm(Form):
    display_name = StringField("Your name", validators=[DataRequired(), Length(max=80)])
    headline = StringField("Headline", validators=[Optional(), Length(max=120)],
                           description='One line under your QR, e.g. "Data engineer at Acme".')
    linkedin_url = URLField("LinkedIn profile", validators=[Optional(), Length(max=500)],
                            description="Paste it from the LinkedIn app: Share profile, Copy link.")
    timezone = SelectField("Time zone", choices=[SelectChoice(z) for z in TIMEZONES], default="UTC")

    def validate_linkedin_url(self, field):
        if field.data:
            try:
                field.data = canonical_profile_url(field.data)
            except NotAProfile as e:
                raise ValidationError(str(e)) from None
