"""The one form of the follow-ups page that takes input: a new due date."""

import datetime

from flask_login import current_user
from wtforms import DateField
from wtforms.validators import InputRequired, ValidationError

from ..forms import Form


class DueDateForm(Form):
    due_on = DateField("New due date", format="%Y-%m-%d",
                       validators=[InputRequired("Enter a date, like 2026-11-24.")])

    def validate_due_on(self, field):
        if field.data is None:  # not a date at all: the field already says so
            return
        today = current_user.today()
        if not today - datetime.timedelta(days=366) <= field.data <= today + datetime.timedelta(days=3 * 366):
            raise ValidationError("Pick a date within the next three years.")
