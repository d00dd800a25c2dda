"""Forms for signing up, logging in and the profile behind the card."""

from zoneinfo import available_timezones

from wtforms import EmailField, HiddenField, PasswordField, StringField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..forms import Form
from ..linkedin import NotAProfile, canonical_profile_url
from ..models import User

PASSWORD_MIN, PASSWORD_MAX = 8, 256
TIMEZONES = sorted(available_timezones())
ZONE_NAMES = {z.lower(): z for z in TIMEZONES}
# Offered as you type; any other zone of the ~600 can still be typed. A list of all of them made the
# profile page 36 KB on a venue's weak signal.
COMMON_TIMEZONES = (
    "UTC Europe/London Europe/Dublin Europe/Lisbon Europe/Paris Europe/Berlin Europe/Amsterdam Europe/Brussels "
    "Europe/Madrid Europe/Rome Europe/Zurich Europe/Vienna Europe/Stockholm Europe/Oslo Europe/Copenhagen "
    "Europe/Helsinki Europe/Warsaw Europe/Prague Europe/Athens Europe/Istanbul Europe/Kyiv Africa/Lagos "
    "Africa/Nairobi Africa/Johannesburg Africa/Cairo Asia/Dubai Asia/Kolkata Asia/Singapore Asia/Shanghai "
    "Asia/Hong_Kong Asia/Tokyo Asia/Seoul Australia/Sydney Australia/Melbourne Pacific/Auckland "
    "America/Sao_Paulo America/Mexico_City America/Bogota America/New_York America/Toronto America/Chicago "
    "America/Denver America/Los_Angeles America/Vancouver"
).split()


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
    timezone = StringField("Time zone", validators=[DataRequired("Enter your time zone, such as Europe/London.")],
                           default="UTC", description="Type a city: Europe/London, America/New_York, Asia/Tokyo.")

    def validate_timezone(self, field):
        zone = ZONE_NAMES.get(field.data.strip().replace(" ", "_").lower())
        if zone is None:
            raise ValidationError("That time zone is not known: type one such as Europe/Berlin or America/Chicago.")
        field.data = zone

    def suggested_zones(self):
        """The common zones, and the user's own when it is not one of them."""
        own = ZONE_NAMES.get((self.timezone.data or "").lower())
        return COMMON_TIMEZONES if own in COMMON_TIMEZONES or own is None else [own, *COMMON_TIMEZONES]

    def validate_linkedin_url(self, field):
        if field.data:
            try:
                field.data = canonical_profile_url(field.data)
            except NotAProfile as e:
                raise ValidationError(str(e)) from None
