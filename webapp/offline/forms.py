"""What the phone sends for each person logged with no signal: the log form's fields plus the phone's UUID."""

import datetime

from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import UUID, DataRequired, InputRequired, Length, Optional, ValidationError

from .. import rules
from ..attachments import checks
from ..forms import Form, strip
from ..people.forms import MetBeforeAnswer, PersonForm

# A phone may stay without signal for days (a conference abroad): its quick events are kept that long.
QUICK_DAYS_BACK = datetime.timedelta(days=30)
TEXT_FIELDS = ("uuid", "quick_day", "met_at", "name", "description", "company", "role", "notes", "follow_up_reason",
               "linkedin_url", "email", "phone", "scanned_text", "scanned_filled", "tags", "same_as")
FLAGS = ("hiring", "follow_up")


def _as_text(value):
    """The phone's code from before account keys sends the account's id as a number."""
    return str(value) if isinstance(value, int) else value


class SyncedMeetingForm(MetBeforeAnswer, PersonForm):
    """The same rules as the log form, checked again on arrival: the phone's copy is never trusted."""

    RECOGNISED_BY = rules.JUST_MET_BY

    uuid = StringField("Phone's id for this entry", filters=[strip], validators=[
        DataRequired("The entry has no id: it cannot be stored exactly once."),
        UUID("The entry's id is not a UUID.")])
    # JSON carries no form data, so InputRequired (which looks at raw form input) cannot be used.
    event_id = IntegerField("Event")
    # With no event today the phone sends the day instead: the entry goes to that day's quick event.
    quick_day = DateField("Day", validators=[Optional()], format="%Y-%m-%d")
    # When the phone logged it: the meeting keeps it (the day met, at a conference). With no event on the form
    # (none then, or a copy of the form from another day or from before an event was planned), the event is the
    # one running then.
    met_at = StringField("Met at", filters=[strip], validators=[Optional()])
    met_time = None  # met_at read, when it can be right
    made_at = None  # met_at read, whatever the phone's clock said: which account made it (User.logged_the_entry)
    # The account that logged it on the phone (User.account_key; its id, from before keys), so one account's
    # entries never land in another's.
    account = StringField("Account", filters=[_as_text, strip], validators=[Optional(), Length(max=40)])

    def validate_same_as(self, field):
        # The form's page asks again when its answer is garbled; the phone's entry cannot be asked: refused.
        choice = self.choice()
        if field.data and (choice is None or (choice != "new" and not rules.is_row_id(choice))):
            raise ValidationError("There is no such person.")

    def validate_event_id(self, field):
        if field.data is None and self.quick_day.data is None:
            raise ValidationError("Say which event this person was met at.")
        if field.data is None:
            return
        if not rules.is_row_id(field.data):
            raise ValidationError("There is no such event.")

    def validate_quick_day(self, field):
        if field.data is None:
            return
        today = current_user.today()
        if not today - QUICK_DAYS_BACK <= field.data <= today + datetime.timedelta(days=1):
            raise ValidationError("That day is too far from today for a person just met.")

    def validate_met_at(self, field):
        try:
            met = datetime.datetime.fromisoformat(field.data)
        except ValueError:
            raise ValidationError("Not a valid time.") from None
        if met.tzinfo is None:
            raise ValidationError("Say the time's offset from UTC.")
        self.made_at = met
        now = datetime.datetime.now(datetime.UTC)
        # A phone whose clock is far off says nothing about when they met: the day it sent is used instead.
        if now - QUICK_DAYS_BACK <= met <= now + datetime.timedelta(days=1):
            self.met_time = met

    def when_met(self, now):
        """When the phone logged it (aware, on `now`'s clock), not later than `now`: a clock a little ahead (00:02
        on the phone at 23:41) met nobody in the future, so the event is the one running at the time kept, as
        the meeting keeps it (Event.time_met). None when the phone did not say, or its clock is far off."""
        return self.met_time and min(self.met_time, now).astimezone(now.tzinfo)

    def day_met(self, met_at):
        """The day whose quick event the entry goes to: the phone's (quick_day), else met_at's. A phone's day after
        met_at's is a traveller's east of the zone the server knows (their phone's date is tomorrow already), but
        not when met_at was taken back to the time it arrived: that day is the fast clock's, and met_at's is the
        day it is (a second quick event "Met on Tue 8 Dec" would split one evening in two)."""
        day = self.quick_day.data or (met_at and met_at.date())
        if met_at and met_at < self.met_time and day > met_at.date():
            return met_at.date()
        return day

    class Meta:
        # The token comes in the X-CSRFToken header and is checked by CSRFProtect before the view runs.
        csrf = False


def type_errors(payload):
    """JSON types the form would otherwise coerce silently ("false" is a true string, 2.5 an int)."""
    errors = {}
    for name in TEXT_FIELDS:
        if payload.get(name) is not None and not isinstance(payload[name], str):
            errors[name] = ["Send this as text."]
    for name in FLAGS:
        if payload.get(name) is not None and not isinstance(payload[name], bool):
            errors[name] = ["Send this as true or false."]
    value = payload.get("event_id")
    if value is not None and not _whole_number(value):
        errors["event_id"] = ["Send this as a whole number."]
    value = payload.get("account")
    if value is not None and not isinstance(value, str) and not _whole_number(value):  # an id, from before keys
        errors["account"] = ["Send this as text."]
    return errors


def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


class SyncedAttachmentForm(Form):
    """A voice note or a photo kept on the phone with an entry, sent after it, or added on a person's page with no
    signal (multipart/form-data)."""

    uuid = StringField("Phone's id for this file", filters=[strip], validators=[
        DataRequired("The file has no id: it cannot be stored exactly once."), UUID("The file's id is not a UUID.")])
    entry = StringField("The entry it was made with", filters=[strip], validators=[
        Optional(), UUID("The entry's id is not a UUID.")])
    person = IntegerField("The person it was added to", validators=[Optional()])
    kind = SelectField("Kind", choices=[SelectChoice("voice", "Voice note"), SelectChoice("photo", "Photo")],
                       validators=[InputRequired("Say whether this is a voice note or a photo.")])
    file = FileField("File", validators=[FileRequired("The file is missing.")])
    checked = None  # the file as it is kept, once valid

    def validate_person(self, field):
        if not rules.is_row_id(field.data):
            raise ValidationError("There is no such person.")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not self.entry.data and self.person.data is None:
            self.entry.errors = [*self.entry.errors, "Say which entry or person this file belongs to."]
            return False
        return valid

    def validate_file(self, field):
        if self.kind.data not in ("voice", "photo"):
            return
        try:
            self.checked = checks.check(self.kind.data, field.data.read())
        except checks.NotAcceptable as e:
            raise ValidationError(str(e)) from None

    class Meta:
        csrf = False  # in the X-CSRFToken header, checked by CSRFProtect
