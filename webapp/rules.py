"""What a valid person, event, link, time zone, tag, date and length are: one definition.

The forms, the sync endpoint, the backup restore and the calendar import all ask here, so
nothing can be stored one way that another way refuses, and nothing stored can break a page.
"""

import datetime
import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from rapidfuzz import fuzz
from rapidfuzz.process import extract
from werkzeug.routing import IntegerConverter

from .linkedin import LONGEST_ADDRESS, NotAProfile, canonical_profile_url
from .models import EVENT_KINDS, OUTCOME_KINDS, Conversation, Event, FollowUp, Outcome, Person, Tag, User

# Longest text per field; a CharField's own max_length where the model has one.
LONGEST = {
    "event.name": 200, "event.place": 200, "event.link": 500, "event.description": 5000, "event.goal_note": 200,
    "person.name": 120, "person.description": 200, "person.company": 120, "person.role": 120,
    "person.email": 254, "person.linkedin_url": LONGEST_ADDRESS, "conversation.notes": 5000, "tag": 40, "tags": 300,
    "follow_up.reason": 200, "outcome.text": 300,
    "user.display_name": 80, "user.headline": 120, "user.linkedin_url": LONGEST_ADDRESS,
}
GOAL_MIN, GOAL_MAX = 1, 50
# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets:
# "=HYPERLINK(...)" in a name could send the sheet's data elsewhere when opened. Exports put a quote before it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Dates a person can mean; far enough from date.max that "two days later" still exists.
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)
# Database ids are 32-bit on PostgreSQL (serial); a bigger number cannot name a row.
LARGEST_ID = 2**31 - 1
EVENT_KIND_VALUES = {value for value, _ in EVENT_KINDS}
OUTCOME_KIND_VALUES = {value for value, _ in OUTCOME_KINDS}
LINK_MESSAGE = "Enter a web address such as https://www.meetup.com/…"


class Invalid(ValueError):
    """A value breaks a rule; the message is for the user."""

    field = None  # the field of a row it is about, when a whole row is checked (check_row)


# --- Text ---------------------------------------------------------------------------------------

def drop_nul(value):
    """NUL never means anything in typed or pasted text, and PostgreSQL cannot store it."""
    return value.replace("\x00", "") if isinstance(value, str) else value


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_broken_characters(value):
    """A lone UTF-16 surrogate (half an emoji cut in two) cannot be stored as UTF-8."""
    return isinstance(value, str) and _SURROGATE.search(value) is not None


INVISIBLE_IN_EMAIL = ("This address holds an invisible character (a copy may have brought it along): "
                      "type the address again.")


# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 16.0): what a font draws as
# nothing. Python's unicodedata does not expose the property; beside the format characters (Cf: a soft hyphen, a
# zero-width space, a direction mark) it holds the Hangul fillers (U+3164 and its kin, letters to unicodedata),
# variation selectors, the combining grapheme joiner and code points kept free for more of the same.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)

SPACE_IN_EMAIL = "An email address has no spaces in it: type it again without them."


def is_invisible(character):
    """A character that shows as nothing: a default-ignorable one, or any other format character."""
    code = ord(character)
    return (unicodedata.category(character) == "Cf"
            or any(first <= code <= last for first, last in DEFAULT_IGNORABLE))


def has_invisible_characters(value):
    """A copy brings invisible characters along (a zero-width space, a soft hyphen, a Hangul filler); no address
    has one, so the address looks right and is refused."""
    return isinstance(value, str) and any(is_invisible(c) for c in value)


def normalised_email(value):
    """The one form of an email address used to sign up, log in, and count tries: lower case; full-width and other
    compatibility letters folded ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ" from a Japanese keyboard's full-width mode is
    taro@example.jp); the domain as IDNA 2008 reads it (UTS-46, as email-validator applies it): as people write it
    ("xn--exmple-cua.de", its ASCII form, is exämple.de), and straße.de a domain of its own, not strasse.de; each
    accent one character ("é", not "e" and a combining accent, as some keyboards and pasted text have it).

    Something that is not an address (a soft hyphen or zero-width space in it, which the sign-up refuses) is
    only folded and lowered: it names no account. So is one holding any invisible character: UTS-46 would drop a
    Hangul filler from the domain unseen, and the sign-up could not say what was wrong."""
    email = unicodedata.normalize("NFKC", drop_nul(value or "").strip()).lower()
    address = None if has_invisible_characters(email) else _address(email)
    return address.normalized if address else email


def is_address(value):
    """Whether a value is a whole email address ("p918@example.org"; not "p918@" nor "example.org")."""
    return _address(value) is not None


def _address(email):
    """email-validator's reading of an address, or None; lenient about domains that no mail reaches (a.test)."""
    try:
        return validate_email(email, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError:
        return None


def account_with_email(email):
    """The account whose email is this normalised one, also when it was stored with its domain in ASCII form or
    its accents as letter and mark (as accounts made before either was normalised may be), or None."""
    spellings = {email, unicodedata.normalize("NFD", email)}
    address = _address(email)
    if address and address.ascii_domain != address.domain:
        spellings.add(f"{address.local_part}@{address.ascii_domain}")
    return User.select().where(User.email.in_(spellings)).order_by((User.email == email).desc()).first()


def text(value, key, required=False):
    """Text within its field's length; raises Invalid otherwise."""
    if not isinstance(value, str):
        raise Invalid("should be text")
    if has_broken_characters(value):
        raise Invalid("has a broken character (half of an emoji?)")
    if "\x00" in value:
        raise Invalid("has a NUL character")
    if len(value) > LONGEST[key]:
        raise Invalid(f"is longer than {LONGEST[key]} characters")
    if required and not value.strip():
        raise Invalid("is empty")
    return value


# --- Links, time zones, dates, ids ---------------------------------------------------------------

def web_link(value):
    """A link the user can tap later: http(s) with a real host name, so no javascript: or data: ever
    lands in an href. Returns it with https:// added when the scheme was left out."""
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in value) or " " in value.strip():
        raise Invalid(LINK_MESSAGE)
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 -- a port that is not a number raises here, not later in a template
    except ValueError:
        raise Invalid(LINK_MESSAGE) from None
    if parts.scheme.lower() not in ("http", "https") or "." not in host or host.startswith("."):
        raise Invalid(LINK_MESSAGE)
    try:
        host.encode("idna")
    except UnicodeError:  # full-width dots, empty labels, a label over 63 characters
        raise Invalid(LINK_MESSAGE) from None
    if len(value) > LONGEST["event.link"]:
        raise Invalid(f"Keep the link under {LONGEST['event.link']} characters.")
    return value


def linkedin_profile(value, whose="your"):
    """The canonical LinkedIn profile address, or Invalid with what is expected."""
    if not value:
        return ""
    try:
        return canonical_profile_url(value)
    except NotAProfile as e:
        message = str(e)
        if whose != "your":
            message = message.replace("your", whose).replace("Your", whose.capitalize())
        raise Invalid(message) from None


# Names the server's zone files hold that are nobody's zone: "localtime" (Debian's link to the server's own zone,
# wherever the server is) and "Factory" (the tz database's "no zone set yet", shown as "-00").
NO_PLACE = frozenset({"localtime", "Factory"})


@cache
def time_zones():
    """Every IANA zone name this server knows (not the folders such as "America" or "Etc") that is a place's."""
    return frozenset(available_timezones() | {"UTC"}) - NO_PLACE


def is_time_zone(name):
    return isinstance(name, str) and name in time_zones()


# The areas of the world the zones are named under (Europe/Berlin). Other folders (US/Pacific, Canada/Eastern,
# Brazil/West) are old names holding regions, not cities: "Pacific" names no city.
ZONE_AREAS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
              "Pacific")


# Written between the words of a city's name, or not: "Port au Prince" is Port-au-Prince, "St. John's" St_Johns.
_BETWEEN_WORDS = str.maketrans({"_": " ", "-": " ", ".": " ", "'": None, "\u2019": None, "\u02bc": None})


def _typed(text):
    """A zone or city as typed, in one spelling: any case, spaces for underscores, hyphens and dots, apostrophes
    dropped, accents dropped ("Zürich", "São Paulo", "Bogotá" are the zones' Zurich, Sao_Paulo, Bogota)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.translate(_BETWEEN_WORDS).split()).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _zones_by_name():
    """{a zone or its city as someone types it ("america/los angeles", "los angeles"): the zone's name}. A city
    under two names (America/Buenos_Aires, as it was, and America/Argentina/Buenos_Aires) is one place and one
    zone: the longer name, the current one, is kept."""
    named = {}
    for zone in sorted(time_zones(), key=lambda z: (z.count("/"), z)):
        area, _, rest = zone.partition("/")
        if area in ZONE_AREAS and rest:
            named[_typed(zone.rsplit("/", 1)[1])] = zone
    named.update((_typed(zone), zone) for zone in time_zones())
    return named


def time_zone_named(typed):
    """The zone someone means by what they typed, in its proper name: the zone in any case, with spaces for
    underscores ("america/new york"), or its city alone ("Tokyo", "los angeles", "zürich"), also followed by its
    country as people write where they are ("Dublin, Ireland"); None when none is meant."""
    named = _zones_by_name()
    return named.get(_typed(typed or "")) or named.get(_typed(_city(typed)))


def _city(typed):
    """The city in "Tokyo, Japan" or "Paris, Île-de-France, France": what comes before the first comma."""
    return (typed or "").partition(",")[0]


def zones_spelled_like(typed, limit=3):
    """The zones whose city is spelled like what was typed, a letter or two off ("Tokio": Asia/Tokyo), best
    first: for the message when none is meant. Short old names ("LHI") are no city anyone types."""
    cities = {name: zone for name, zone in _zones_by_name().items() if "/" not in name and len(name) > 3}
    found = extract(_typed(_city(typed)), list(cities), scorer=fuzz.ratio, limit=limit, score_cutoff=80)
    return list(dict.fromkeys(cities[name] for name, _, _ in found))


def day(value):
    """A date a person can mean: refused when it is so far out that adding a few days overflows."""
    if not EARLIEST_DAY <= value <= LATEST_DAY:
        raise Invalid(f"Pick a date between {EARLIEST_DAY.year} and {LATEST_DAY.year}.")
    return value


def is_row_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= LARGEST_ID


class RowIdConverter(IntegerConverter):
    """<int:...> in a URL: a number too big to be a row is "not found", not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


# --- Tags ----------------------------------------------------------------------------------------

def tag_name(name):
    """The stored form of a tag: trimmed and lower case (which can make it longer: "İ" is two)."""
    return drop_nul(name).strip().lower()


def split_tags(text_or_names):
    """Tag names from "python, recruiter; ml" (or a list), normalised, each once, in order."""
    if isinstance(text_or_names, str):
        text_or_names = text_or_names.replace(";", ",").split(",")
    return list(dict.fromkeys(t for t in (tag_name(n) for n in text_or_names or ()) if t))


def tags_problem(names):
    """The message for tags that cannot be stored, or None."""
    if any(len(t) > LONGEST["tag"] for t in names):
        return f"Keep each tag under {LONGEST['tag']} characters."
    if any("," in t or ";" in t for t in names):
        # They separate tags where tags are typed: a stored one would come apart at the next save.
        return "A tag cannot hold a comma or a semicolon."
    return None


def could_be_email(value):
    """An address mail could go to, as loosely as contacts brought in have always been kept (an @, no spaces):
    a backup of what was kept must restore. Outlook puts an Exchange account's internal address
    ("/o=ExchangeLabs/ou=...") in its email column."""
    return "@" in value and not any(c.isspace() for c in value)


# --- People ---------------------------------------------------------------------------------------

# What a person can be recognised by, as Hallway shows them (label_of): a name, or the few words they were logged
# by; someone imported with neither (a contact with only a phone, "Someone at Globex") by how to reach them, where
# they work or their LinkedIn profile. The log and edit forms, the sync, the backup restore and the imports all
# ask this, so everyone an import adds can be edited, and every backup restores.
RECOGNISED_BY = ("name", "description", "email", "phone", "company", "linkedin_url")
# Someone just met, though, is logged by a name or a few words: "Someone at Acme" would not bring them back.
JUST_MET_BY = ("name", "description")


def recognisable(fields, by=RECOGNISED_BY):
    """Whether a person (a dict of their fields, missing ones empty) has something to recognise them by."""
    return any(isinstance(fields.get(k), str) and fields[k].strip() for k in by)


# A phone number is one number written at home ("0171 1234567") or from abroad ("+49 171 1234567", "0049 171
# 1234567", "+49 (0)171 1234567"): told by its digits after the zeros dialled before a country code or an area
# code, of which the shorter is how the longer ends. Only a whole national number (its area code and the rest) is
# known to be the number it ends: numbers of fewer digits than SHORTEST_NATIONAL_NUMBER ("555-0143" has no area
# code, and ends numbers in any country; an extension, "112") are only the same when written with the same digits.
# National numbers are 8 to 11 digits in most countries (Singapore's and Denmark's 8, Germany's mobiles 10 or 11).
SHORTEST_NATIONAL_NUMBER = 8
# The search finds a number by its endings from this many digits (a number without its area code), and the
# imports look numbers up by theirs.
SHORTEST_NUMBER = 7


def phone_digits(phone):
    """The digits of a phone number as dialled from anywhere, with its country code when written with one:
    "+49 (0)171 1234567" and "0049 171 1234567" are 491711234567, "0171 1234567" 1711234567; "" for none."""
    return re.sub(r"\D", "", (phone or "").replace("(0)", "")).lstrip("0")


def phone_ending(phone):
    """What two ways of writing one number share: its last SHORTEST_NUMBER digits (to look numbers up by)."""
    return phone_digits(phone)[-SHORTEST_NUMBER:]


def same_phone(one, other):
    """Whether two phone numbers, however written, are one (see phone_digits)."""
    shorter, longer = sorted((phone_digits(one), phone_digits(other)), key=len)
    if len(shorter) < SHORTEST_NATIONAL_NUMBER:
        return bool(shorter) and shorter == longer
    return longer.endswith(shorter)


def other_phone(one, other):
    """Whether two phone numbers are surely two numbers: neither ends as the other ("555-0143" may be
    "+1 415 555 0143", not known to be)."""
    shorter, longer = sorted((phone_digits(one), phone_digits(other)), key=len)
    return bool(shorter) and not longer.endswith(shorter)


# --- Whole rows, as the backup restore checks them -----------------------------------------------

def _check(row, field, check):
    if field in row:
        try:
            row[field] = check(row[field])
        except Invalid as e:
            e.field = field  # named by the caller in its own words: the message is the form's, with no field
            raise


def _link_field(value):
    return web_link(value)


def _zone_or_empty(value):
    if value and not is_time_zone(value):
        raise Invalid("is not a time zone")
    return value


def _kind(allowed):
    def check(value):
        if value not in allowed:
            raise Invalid("is not a kind Hallway knows")
        return value
    return check


def _goal(value):
    if not GOAL_MIN <= value <= GOAL_MAX:
        raise Invalid(f"should be from {GOAL_MIN} to {GOAL_MAX}")
    return value


def _a_profile(whose):
    def check(value):
        linkedin_profile(value, whose)  # refused when it is not one; kept as written when it is
        return value
    return check


def _texts(row, keys):
    for field, key in keys.items():
        _check(row, field, lambda v, key=key: text(v, key))


def check_profile(row):
    _texts(row, {"display_name": "user.display_name", "headline": "user.headline"})
    _check(row, "linkedin_url", _a_profile("your"))
    _check(row, "timezone", lambda v: v if is_time_zone(v) else _raise("is not a time zone"))


def check_event(row):
    _texts(row, {"name": "event.name", "place": "event.place", "description": "event.description",
                 "goal_note": "event.goal_note"})
    _check(row, "name", lambda v: v if v.strip() else _raise("is empty"))
    _check(row, "link", _link_field)
    _check(row, "timezone", _zone_or_empty)
    _check(row, "kind", _kind(EVENT_KIND_VALUES))
    _check(row, "goal", _goal)
    _check(row, "starts_on", day)
    _check(row, "ends_on", lambda v: v if v is None else day(v))
    if row.get("ends_on") and row.get("starts_on") and row["ends_on"] < row["starts_on"]:
        raise Invalid("ends before it starts")


def check_person(row):
    _texts(row, {"name": "person.name", "description": "person.description", "company": "person.company",
                 "role": "person.role", "email": "person.email"})
    _check(row, "linkedin_url", _a_profile("their"))
    _check(row, "email", lambda v: v if not v or could_be_email(v) else _raise("is not an email address"))
    if not recognisable(row):
        raise Invalid("has nothing to recognise them by: no name, few words, email, phone, company or LinkedIn "
                      "profile")


def check_tag(row):
    _check(row, "name", lambda v: tag_name(text(v, "tags")))
    if not row.get("name"):
        raise Invalid("has an empty name")
    problem = tags_problem([row["name"]])
    if problem:
        raise Invalid(problem)


def check_conversation(row):
    _texts(row, {"notes": "conversation.notes"})


def check_follow_up(row):
    _texts(row, {"reason": "follow_up.reason"})
    for field in ("due_on", "done_on", "dropped_on"):
        _check(row, field, lambda v: v if v is None else day(v))


def check_outcome(row):
    _texts(row, {"text": "outcome.text"})
    _check(row, "kind", _kind(OUTCOME_KIND_VALUES))
    _check(row, "happened_on", day)


def _raise(message):
    raise Invalid(message)


ROW_RULES = {User: check_profile, Event: check_event, Person: check_person, Tag: check_tag,
             Conversation: check_conversation, FollowUp: check_follow_up, Outcome: check_outcome}


def check_row(model, row):
    """Apply the rules for a model to a decoded row (changing it to its stored form), or Invalid (its field set
    when one field breaks a rule)."""
    rule = ROW_RULES.get(model)
    if rule:
        rule(row)
    return row

