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


class ConnectionsUploadForm(Form):
    file = FileField("LinkedIn connections (Connections.csv)", validators=[
        FileRequired(message="Choose the Connections.csv file from LinkedIn's export of your data."),
        FileAllowed(["csv"], message="Choose LinkedIn's Connections.csv file."),
    ], description="On LinkedIn: Settings, Data privacy, Get a copy of your data, Connections. "
                   "LinkedIn emails you a link to the file.")


class ContactsUploadForm(Form):
    file = FileField("Contacts file (.vcf or .csv)", validators=[
        FileRequired(message="Choose the .vcf file your phone's Contacts app exported, or a .csv of contacts."),
        FileAllowed(["vcf", "vcard", "csv"], message="Choose a contacts file ending in .vcf or .csv."),
    ], description="iPhone: Contacts, Lists, hold a list, Export. Android: Contacts, Fix & manage, "
                   "Export to file. Google Contacts: Export, Google CSV. Outlook: Export contacts (CSV).")


class PickPeopleForm(Form):
    """The matches to update and the others to add, as checkboxes; the rows travel in a signed token."""

    token = HiddenField(validators=[DataRequired()])
    matches = SelectMultipleField("Already in Hallway", coerce=int, choices=[],
                                  widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    others = SelectMultipleField("Not met through Hallway", coerce=int, choices=[],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def validate_others(self, field):
        if not field.data and not self.matches.data:
            raise ValidationError("Tick at least one person to update or add.")
