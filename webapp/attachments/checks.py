"""What a voice note or a photo must be before it is kept: checked by its content, never by its name or the
type the phone declared, cut to size, and for photos re-encoded without their metadata (where it was taken).
"""

import io
import warnings

import filetype
import pi_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import THUMBNAIL_SIDE

# iPhones and many Android phones save their photos as HEIC, and a phone's browser sends a photo picked from the
# gallery as it is (Chromium cannot decode HEIC to shrink it first). pi-heif (libheif, decoding only) reads them.
pi_heif.register_heif_opener()

# A minute of speech is about 0.5 MB as Opus (Chromium) and 1 MB as AAC (Safari); 60 s is the recorder's limit.
VOICE_MAX_BYTES = 3 * 1024 * 1024
# A phone camera's JPEG is 2-8 MB; the page shrinks photos before sending them, a page without script does not.
PHOTO_MAX_BYTES = 15 * 1024 * 1024
# Bigger than any phone camera (200 MP); a bigger picture is a decompression bomb, not a photo.
PHOTO_MAX_PIXELS = 200_000_000
# Kept photos: big enough to read a badge or a slide on a phone, a few hundred KB.
PHOTO_LONG_SIDE = 1600
JPEG_QUALITY = 82

# Containers phones record voice notes in: WebM/Opus (Chromium, Firefox), MP4/AAC (Safari), Ogg/Opus (Firefox).
# Stored and served under the audio type of its container, whatever the phone said.
VOICE_TYPES = {
    "video/webm": "audio/webm",
    "audio/webm": "audio/webm",
    "video/x-matroska": "audio/webm",
    "audio/mp4": "audio/mp4",
    "video/mp4": "audio/mp4",
    "audio/x-m4a": "audio/mp4",
    "video/quicktime": "audio/mp4",
    "audio/ogg": "audio/ogg",
    "audio/mpeg": "audio/mpeg",
    "audio/x-wav": "audio/wav",
}
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "HEIF", "AVIF"}
SERVED_TYPES = {*VOICE_TYPES.values(), "image/jpeg"}
UNREADABLE_PHOTO = "This is not a photo this app can read (JPEG, HEIC, PNG, WebP, AVIF or GIF)."
EMPTY_PHOTO = "The photo is empty: take it again."


class NotAcceptable(ValueError):
    """The file cannot be kept as a voice note or a photo; the message says why, in the user's words."""


class Checked:
    def __init__(self, kind, content_type, content, thumbnail=None, width=None, height=None):
        self.kind, self.content_type, self.content = kind, content_type, content
        self.thumbnail, self.width, self.height = thumbnail, width, height


def check(kind, data):
    """The file as it is kept (Checked), or NotAcceptable."""
    if kind == "voice":
        return check_voice(data)
    if kind == "photo":
        return check_photo(data)
    raise NotAcceptable("Send a voice note or a photo.")


def check_voice(data):
    if not data:
        raise NotAcceptable("The voice note is empty: record it again.")
    if len(data) > VOICE_MAX_BYTES:
        raise NotAcceptable(f"The voice note is over {VOICE_MAX_BYTES // 2**20} MB: keep it under a minute.")
    if data[:4] == b"\x1a\x45\xdf\xa3":
        # Matroska/WebM: what Chromium's recorder writes. filetype only knows WebM with its doctype
        # in the first bytes, which a recording cut short may lack.
        return Checked("voice", "audio/webm", data)
    found = filetype.guess(data)
    if found is None or found.mime not in VOICE_TYPES:
        raise NotAcceptable("This is not a sound recording this app can keep (WebM, MP4, Ogg, MP3 or WAV).")
    return Checked("voice", VOICE_TYPES[found.mime], data)


def check_photo(data):
    if not data:
        raise NotAcceptable(EMPTY_PHOTO)
    if len(data) > PHOTO_MAX_BYTES:
        raise NotAcceptable(f"The photo is over {PHOTO_MAX_BYTES // 2**20} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in PHOTO_FORMATS:
                    raise NotAcceptable(UNREADABLE_PHOTO)
                if image.width * image.height > PHOTO_MAX_PIXELS:
                    raise NotAcceptable("This picture is far bigger than a phone's photo.")
                image.load()
                # The phone holds the camera any way up: turn the picture as EXIF says, then drop EXIF.
                upright = _pixels(ImageOps.exif_transpose(image))
    except NotAcceptable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise NotAcceptable("This picture is far bigger than a phone's photo.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise NotAcceptable(UNREADABLE_PHOTO) from None
    upright.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
    seen = _on_white(upright)
    small = seen.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return Checked("photo", "image/jpeg", _jpeg(seen), thumbnail=_jpeg(small), width=seen.width,
                   height=seen.height)


def _pixels(image):
    """The picture in 8 bits a channel: RGBA where parts of it are see-through (a logo, a screenshot of a
    badge), else RGB. Pillow would clip 16-bit grey to white, and drop transparency to whatever colour the
    see-through pixels happen to hold (black, mostly)."""
    if image.mode.startswith("I"):
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    if image.has_transparency_data:
        return image.convert("RGBA")
    return image.convert("RGB")


def _on_white(image):
    """A JPEG has no transparency: see-through parts are shown on white, as a photo viewer shows them."""
    if image.mode != "RGBA":
        return image
    return Image.alpha_composite(Image.new("RGBA", image.size, "white"), image).convert("RGB")


def _jpeg(image):
    out = io.BytesIO()
    # A new file from the pixels alone: no EXIF (location, camera), no XMP, no comments.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def verify(kind, content_type, content, thumbnail=None):
    """Check a file kept before (a backup's) is what it says, without changing its bytes; or NotAcceptable."""
    if kind == "voice":
        if check_voice(content).content_type != content_type:
            raise NotAcceptable(f"the voice note is not {content_type}")
        return
    if kind != "photo":
        raise NotAcceptable("it is neither a voice note nor a photo")
    if content_type != "image/jpeg":
        raise NotAcceptable("a photo is kept as image/jpeg")
    for data in (content, thumbnail):
        if data is None:
            continue
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "JPEG" or image.width * image.height > PHOTO_MAX_PIXELS:
                    raise NotAcceptable("the photo is not a JPEG")
                # Decoded to the end (at an eighth of its size, which is quick), as an upload is: verify() alone
                # reads only the headers, and a file cut short would pass.
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        except NotAcceptable:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
            raise NotAcceptable("the photo cannot be read") from None
