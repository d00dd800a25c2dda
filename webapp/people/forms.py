"""The quick form for logging someone met at an event."""

from wtforms import BooleanField, EmailField, StringField, TextAreaField, URLField
from wtforms.validators import Email, Length, Optional, ValidationError

from ..forms import Form, strip
from ..linkedin import NotAProfile, canonical_profile_url


def split_tags(text):
    return [t.strip() for t in (text or "").replace(";", ",").split(",") if t.strip()]


class PersonForm(Form):
    # No Optional() here: it would stop the chain before validate_name checks "name or description".
    name = StringField("Name", validators=[Length(max=120)], filters=[strip])
    description = StringField("Or how to recognise them", validators=[Optional(), Length(max=200)],
                              filters=[strip], description='If the name slipped by: "red jacket, Postgres talk".')
    company = StringField("Company", validators=[Optional(), Length(max=120)], filters=[strip])
    role = StringField("Role", validators=[Optional(), Length(max=120)], filters=[strip])
    notes = TextAreaField("What you talked about", validators=[Optional(), Length(max=5000)], filters=[strip])
    hiring = BooleanField("They are hiring")
    follow_up = BooleanField("Follow up")
    follow_up_reason = StringField("Why follow up", validators=[Length(max=200)], filters=[strip],
                                   description='"Send the article on CDC", "intro to Sam".')
    linkedin_url = URLField("Their LinkedIn", validators=[Optional(), Length(max=500)], filters=[strip])
    email = EmailField("Email", validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
                       filters=[strip])
    tags = StringField("Tags", validators=[Optional(), Length(max=300)], filters=[strip],
                       description="Separate with commas: python, recruiter.")

    def validate_name(self, field):
        if not field.data and not self.description.data:
            raise ValidationError("Add a name, or a few words to recognise them by.")

    def validate_follow_up_reason(self, field):
        if self.follow_up.data and not field.data:
            raise ValidationError("Say why you will follow up, so the message has a real reason.")

    def validate_linkedin_url(self, field):
        if field.data:
            try:
                field.data = canonical_profile_url(field.data)
            except NotAProfile as e:
                raise ValidationError(str(e).replace("your", "their").replace("Your", "Their")) from None

    def validate_tags(self, field):
        if any(len(t) > 40 for t in split_tags(field.data)):
            raise ValidationError("Keep each tag under 40 characters.")
