"""The event form: what, when, where, and the goal for it."""

from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import EditedOnTwoDevices, Form, a_day, strip, suggested_zones, time_zone, web_address
from ..models import DEFAULT_GOAL, EVENT_KINDS
from ..rules import is_row_id


class EventForm(Form):
    name = StringField("Event name", validators=[DataRequired(), Length(max=200)], filters=[strip])
    starts_on = DateField("Date", validators=[InputRequired(message="Pick the day of the event."), a_day])
    ends_on = DateField("Last day", validators=[Optional(), a_day],
                        description="For an event over several days, like a conference.")
    start_time = TimeField("Starts at", validators=[Optional()])
    end_time = TimeField("Ends at", validators=[Optional()],
                         description="Earlier than the start: it ends the next day, after midnight.")
    # Empty: the account's own zone. Planned from home for a conference abroad, its 09:00 is there.
    timezone = StringField("Time zone", validators=[time_zone],
                           description="Where the event is, if not in your own time zone. Type the city "
                                       "its zone is named after: Los Angeles, Tokyo, Berlin.")
    place = StringField("Place", validators=[Optional(), Length(max=200)], filters=[strip])
    kind = SelectField("Kind of event", choices=[SelectChoice(value, label) for value, label in EVENT_KINDS],
                       default="meetup")
    link = URLField("Event page", validators=[Optional(), Length(max=500), web_address], filters=[strip],
                    description="The Meetup or Eventbrite page, if there is one.")
    goal = IntegerField(
        "Goal: new people to meet", default=DEFAULT_GOAL,
        validators=[InputRequired(message="Set a goal from 1 to 50."),
                    NumberRange(min=1, max=50, message="Set a goal from 1 to 50.")],
    )
    goal_note = StringField("Goal note", validators=[Optional(), Length(max=200)], filters=[strip],
                            description='Optional: "find out who is hiring".')
    description = TextAreaField("About the event", validators=[Optional(), Length(max=5000)], filters=[strip])

    def suggested_zones(self):
        return suggested_zones(self.timezone.data)

    # The last day the edit form was shown with: left as it was, a first day moved past it takes it along
    # (Event.last_day_after_the_first), as a start moved past the end takes the end.
    last_day_shown = None

    def left_as_shown(self, field):
        return field.data == self.last_day_shown

    def validate_ends_on(self, field):
        moved_along = field.data is not None and self.left_as_shown(field)
        if field.data and self.starts_on.data and field.data < self.starts_on.data and not moved_along:
            raise ValidationError("The last day cannot be before the first.")
        if field.data and self.starts_on.data and field.data == self.starts_on.data:
            field.data = None  # a one-day event

    def validate_end_time(self, field):
        if field.data is None:
            return
        if self.start_time.data is None:
            raise ValidationError("Set when it starts too, or leave the end empty.")
        if field.data == self.start_time.data and not self.ends_on.data:
            raise ValidationError("The end must be after the start.")


class EventEditForm(EditedOnTwoDevices, EventForm):
    """An event changed later: a save changes only what was changed in this form (EditedOnTwoDevices)."""

    # Its days and times are checked together: an end changed here is valid against the start as it was opened.
    merged_together = (("starts_on", "ends_on", "start_time", "end_time"),)

    def left_as_shown(self, field):
        # Against what the form was opened with, not what is saved now: a last day changed on the other device
        # is shown with that change once merged, not refused here as a last day the user never touched.
        return self.left_as_opened(field) if self.left_as_opened(field) is not None else super().left_as_shown(field)

    @staticmethod
    def details_of(event):
        """The event's details as this form shows them: the last day as Event.last_day_on_the_form says."""
        fields = ("name", "starts_on", "start_time", "end_time", "timezone", "place", "kind", "goal", "goal_note",
                  "link", "description")
        return {**{name: getattr(event, name) for name in fields}, "ends_on": event.last_day_on_the_form}


class MergeForm(Form):
    """Move the people of a quick event ("Met on Mon 23 Nov") into the real event it was."""

    # Any of the user's planned events is taken (the view checks it is theirs), not only the ones offered.
    into = SelectField("The event it was", coerce=int, validate_choice=False,
                       validators=[InputRequired(message="Pick the event these people belong to.")])

    def validate_into(self, field):
        if not is_row_id(field.data):  # a number too big to be a row is no event, not a database error
            raise ValidationError("Pick the event these people belong to.")
