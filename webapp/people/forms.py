"""The people area's forms: logging someone met, correcting them, searching everyone, recording outcomes."""

import datetime
import re

from flask_login import current_user
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from .. import rules, search
from ..attachments.forms import AttachmentFields
from ..forms import ConfirmForm, EditedOnTwoDevices, Form, KeptChoices, ManyOptions, strip
from ..linkedin import LONGEST_PASTED, NotAProfile, canonical_profile_url
from ..models import EVENT_KINDS, NOT_PLANNED, NOT_PLANNED_NAME, OUTCOME_KINDS
from .logbook import MEETING_FIELDS, split_tags

FOLLOW_UP_STATES = [("", "Any"), ("open", "Still to do"), ("done", "Done"), ("none", "None")]
SAME_AS = re.compile(r"[0-9]{1,12}")


class PersonForm(Form):
    """What is noted about someone met at an event; the sync endpoint checks the phone's copy with it too."""

    # Also rendered into the log form, so the phone asks the same with no signal.
    NEEDS_NAME = "Add a name, or a few words to recognise them by."
    # What a person saved by this form may be recognised by (rules.recognisable): someone imported with only a
    # company or a phone can be edited; someone just met is logged by a name or a few words (LogPersonForm).
    RECOGNISED_BY = rules.RECOGNISED_BY

    # No Optional() here: it would stop the chain before validate_name checks there is something to recognise them
    # by (rules.recognisable).
    name = StringField("Name", validators=[Length(max=120)], filters=[strip])
    description = StringField("Or how to recognise them", validators=[Optional(), Length(max=200)],
                              filters=[strip], description='If the name slipped by: "red jacket, Postgres talk".')
    company = StringField("Company", validators=[Optional(), Length(max=120)], filters=[strip])
    role = StringField("Role", validators=[Optional(), Length(max=120)], filters=[strip])
    notes = TextAreaField("What you talked about", validators=[Optional(), Length(max=5000)], filters=[strip])
    hiring = BooleanField("They are hiring")
    follow_up = BooleanField("Follow up")
    # Optional: ticking "Follow up" is one tap; the reason can wait until the follow-ups page.
    follow_up_reason = StringField("Why follow up (optional)", validators=[Length(max=200)], filters=[strip],
                                   description='"Send the article on CDC", "intro to Sam".')
    linkedin_url = URLField("Their LinkedIn", validators=[Optional(), Length(max=LONGEST_PASTED)], filters=[strip])
    email = EmailField("Email", validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
                       filters=[strip])
    phone = TelField("Phone", validators=[Optional(), Length(max=40)], filters=[strip])
    # The contact QR's text as scanned on the phone (a QR holds at most ~3 KB).
    scanned_text = HiddenField(validators=[Optional(), Length(max=4000)])
    # The fields the phone filled in from it, by name: the server fills only the others from the card.
    scanned_filled = HiddenField(validators=[Optional(), Length(max=200)])
    tags = StringField("Tags", validators=[Optional(), Length(max=300)], filters=[strip],
                       description="Separate with commas: python, recruiter.")

    def validate_name(self, field):
        if not rules.recognisable({k: self[k].data for k in self.RECOGNISED_BY}, self.RECOGNISED_BY):
            raise ValidationError(self.NEEDS_NAME)

    @property
    def name_unless(self):
        """The fields that do without a name, for the phone to check with no signal."""
        return " ".join(k for k in self.RECOGNISED_BY if k != "name")

    def validate_linkedin_url(self, field):
        if field.data:
            try:
                field.data = canonical_profile_url(field.data)
            except NotAProfile as e:
                raise ValidationError(str(e).replace("your", "their").replace("Your", "Their")) from None

    def validate_tags(self, field):
        problem = rules.tags_problem(split_tags(field.data))
        if problem:
            raise ValidationError(problem)

    def details(self):
        """The meeting as the logbook takes it: the person's fields, notes, tags as a list, the follow-up."""
        details = {name: self[name].data for name in MEETING_FIELDS if name in self}
        details["tags"] = split_tags(details["tags"])
        return details


class MeetingEditForm(EditedOnTwoDevices, PersonForm):
    """A meeting corrected later: a save changes only what was changed in this form (EditedOnTwoDevices)."""

    # A name or a description is needed; a follow-up's reason is for that follow-up, not one made since.
    merged_together = (("name", "description"), ("follow_up", "follow_up_reason"))


class PersonDetailsForm(EditedOnTwoDevices, PersonForm):
    """What is known of someone, edited from their own page, met at an event or not (imported, or their event
    deleted since): no notes, which belong to each meeting."""

    notes = None
    merged_together = MeetingEditForm.merged_together


class MetBeforeAnswer:
    """"Met before?" answered: by the "Yes, same person" / "No, someone new" buttons after a possible match was
    shown, or by "Same person" in "Already met?" (on the phone too, with no signal)."""

    same_as = StringField(filters=[strip])

    def choice(self):
        """"new", the id of the person they were said to be, or None while the user has not been asked."""
        choice = self.same_as.data
        if choice == "new":
            return choice
        return int(choice) if SAME_AS.fullmatch(choice or "") else None


class LogPersonForm(MetBeforeAnswer, AttachmentFields, PersonForm):
    """The log form: someone just met, with a voice note or a photo when a hand is free for nothing else."""

    RECOGNISED_BY = rules.JUST_MET_BY
    # Made when the form opens (anew by the page's script for a copy the phone kept): sending the
    # same entry twice stores it once.
    entry = HiddenField(filters=[strip])

    def validate_name(self, field):
        # A voice note or a photo says who they were: "Voice note at 21:04" stands in for the name.
        if not self.has_attachment():
            super().validate_name(field)


class ConnectedForm(ConfirmForm):
    connected = BooleanField()
    next = HiddenField()


def offered(field):
    """The values a select offers."""
    choices = field.choices
    return choices.values if isinstance(choices, KeptChoices) else {c.value for c in choices}


class PeopleSearchForm(Form):
    """The search box and filters; a GET form, so results can be bookmarked and shared with yourself."""

    class Meta:
        csrf = False

    q = SearchField("Search people", filters=[strip],
                    validators=[Length(max=200, message="Keep the search under 200 characters.")],
                    description="Name, company, email, notes, tags, or the event where you met.")
    # The account's tags and latest events are added to these by the page (see directory.filter_choices).
    ANY_TAG, ANY_EVENT = SelectChoice("", "Any tag"), SelectChoice("", "Any event")
    tag = SelectField("Tag", choices=[ANY_TAG], default="", validate_choice=False, widget=ManyOptions())
    hiring = BooleanField("Hiring")
    follow_up = SelectField("Follow-up", choices=[SelectChoice(v, label) for v, label in FOLLOW_UP_STATES],
                            default="", validate_choice=False)
    event = SelectField("Met at", choices=[ANY_EVENT], default="", validate_choice=False, widget=ManyOptions())
    when = SearchField("When", filters=[strip], validators=[Length(max=40, message=search.WHEN_HELP)],
                       description="A month, a season or a year: March, last spring, 2024.")
    kind = SelectField("Kind of event", choices=[SelectChoice("", "Any kind")] + [
        SelectChoice(v, label) for v, label in EVENT_KINDS] + [SelectChoice(NOT_PLANNED, NOT_PLANNED_NAME)],
        default="", validate_choice=False)
    dates = None  # what "when" means, once validated

    def validate_event(self, field):
        if field.data and field.data not in offered(field):
            field.data = ""
            raise ValidationError("That event is not on your list: showing every event.")

    def validate_when(self, field):
        try:
            self.dates = search.when_range(field.data, current_user.today())
        except search.NotAWhen as e:
            raise ValidationError(str(e)) from None

    def validate_kind(self, field):
        if field.data not in {c.value for c in field.choices}:
            field.data = ""
            raise ValidationError("Pick a kind of event from the list.")

    def validate_tag(self, field):
        if field.data and field.data not in offered(field):
            field.data = ""
            raise ValidationError("That tag is not on anyone any more: showing every tag.")

    def validate_follow_up(self, field):
        if field.data not in dict(FOLLOW_UP_STATES):
            field.data = ""
            raise ValidationError("Pick a follow-up state from the list.")


class OutcomeForm(Form):
    kind = SelectField("Kind of outcome", choices=[SelectChoice(v, label) for v, label in OUTCOME_KINDS],
                       validators=[InputRequired("Pick what came of it.")])
    happened_on = DateField("When", validators=[InputRequired("Enter the date it happened.")],
                            format="%Y-%m-%d")
    text = StringField("In a line", filters=[strip],
                       validators=[Length(max=300, message="Keep it to one line (300 characters).")],
                       description='"Intro to the data team at Acme", "coffee every month".')

    def validate_happened_on(self, field):
        if field.data is None:  # not a date at all: the field already says so
            return
        if not datetime.date(1950, 1, 1) <= field.data <= current_user.today() + datetime.timedelta(days=366):
            raise ValidationError("That date looks wrong: enter the day it happened.")
