"""The follow-ups page's forms: a new due date, done and undo, and how drafted messages open and close."""

import datetime

from flask_login import current_user
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..forms import Form, strip


class DueDateForm(Form):
    due_on = DateField("New due date", format="%Y-%m-%d",
                       validators=[InputRequired("Enter a date, like 2026-11-24.")])

    def validate_due_on(self, field):
        if field.data is None:  # not a date at all: the field already says so
            return
        today = current_user.today()
        if not today - datetime.timedelta(days=366) <= field.data <= today + datetime.timedelta(days=3 * 366):
            raise ValidationError("Pick a date within the next three years.")


class DoneForm(Form):
    """Done, with how it was sent when one of the page's send buttons did it."""

    via = HiddenField(filters=[strip])
    # The page it was closed from (the person's page); the follow-ups page when empty.
    next = HiddenField()


class UndoForm(Form):
    """Undo carries a signed note of what was closed, good for a few minutes."""

    token = HiddenField(validators=[InputRequired()])
    next = HiddenField()


class MessageSettingsForm(Form):
    """How the user's drafted messages open and close."""

    greeting = StringField("Greeting", filters=[strip], validators=[Optional(), Length(max=40)],
                           description='Before their name: "Hi", "Hello", "Hej". Empty for "Hi".')
    sign_off = StringField("Sign-off", filters=[strip], validators=[Optional(), Length(max=40)],
                           description='Before your name: "Best,", "Cheers,", "Thanks,". Empty for "Best,".')
