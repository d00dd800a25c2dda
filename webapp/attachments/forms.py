"""Forms for voice notes and photos: the file fields the log form and the person page share, checked by content."""

from flask_wtf.file import FileField
from wtforms import HiddenField
from wtforms.validators import ValidationError

from ..forms import Form, strip
from . import checks


class AttachmentFields:
    """A voice note and a photo, each optional; a mixin for a Flask-WTF form sent as multipart/form-data.

    Each file is checked by its content while the form validates; `checked()` gives what passed.
    """

    # The phone says it before sending (static/js/capture.js): a 0-byte file is what it hands over for a photo
    # still in its cloud.
    EMPTY_PHOTO = checks.EMPTY_PHOTO

    # Filled by the page's recorder (a file made on the phone) and by the camera button.
    voice = FileField("Voice note")
    photo = FileField("Photo")

    def validate_voice(self, field):
        self._check_file("voice", field)

    def validate_photo(self, field):
        self._check_file("photo", field)

    def _check_file(self, kind, field):
        kept = self.__dict__.setdefault("_checked", {})
        kept.pop(kind, None)
        upload = field.data
        data = upload.read() if hasattr(upload, "read") else b""
        # A file input left empty still sends a part, with no name and no bytes: nothing to keep. A file picked
        # with no bytes (a photo in the phone's cloud not downloaded yet) is checked, and refused as empty.
        if not data and not getattr(upload, "filename", None):
            return
        try:
            kept[kind] = checks.check(kind, data)
        except checks.NotAcceptable as e:
            raise ValidationError(str(e)) from None

    def has_attachment(self):
        """Whether a voice note or a photo with some content came with the form (asked before they are checked)."""
        return any(_size(self[k].data) for k in ("voice", "photo"))

    def checked(self):
        """{kind: checks.Checked} for the files that passed."""
        return dict(self.__dict__.get("_checked", {}))


class AddAttachmentForm(AttachmentFields, Form):
    """A voice note or a photo added later, on the person's page."""

    # Made when the page opens: the same form sent twice keeps its files once.
    token = HiddenField(filters=[strip])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not self.checked():
            self.photo.errors = [*self.photo.errors, "Record a voice note or take a photo first."]
            return False
        return valid


def _size(upload):
    stream = getattr(upload, "stream", None)
    if stream is None or not stream.seekable():
        return 0
    at = stream.tell()
    size = stream.seek(0, 2)
    stream.seek(at)
    return size
