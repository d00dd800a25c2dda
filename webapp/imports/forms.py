"""The upload forms: a calendar file, the events picked from it, and a backup to restore."""

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectMultipleField
from wtforms.validators import DataRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import Form


class CalendarUploadForm(Form):
    file = FileField("Calendar file (.ics)", validators=[
        FileRequired(message="Choose the .ics file you downloaded from Meetup, Eventbrite or your calendar."),
        FileAllowed(["ics", "ical", "icalendar", "ifb"], message="Choose a calendar file ending in .ics."),
    ], description="On Meetup: the event’s “Add to calendar” menu. On Eventbrite: “Add to calendar” "
                   "on your ticket.")


class PickEventsForm(Form):
    """The events found in the uploaded file, as checkboxes; the file's events travel in a signed token."""

    token = HiddenField(validators=[DataRequired()])
    # Not DataRequired: its "required" flag would make the browser demand every box be ticked.
    events = SelectMultipleField("Events to add", coerce=int, choices=[],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def validate_events(self, field):
        if not field.data:
            raise ValidationError("Tick at least one event to add.")


class RestoreForm(Form):
    file = FileField("Backup file (.json)", validators=[
        FileRequired(message="Choose the backup file you downloaded from Hallway."),
        FileAllowed(["json"], message="Choose a Hallway backup file ending in .json."),
    ])
