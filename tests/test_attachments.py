"""Voice notes and photos, because the other hand holds a drink: kept with the person met, checked by their content,
photos shrunk and stripped of where they were taken, played and shown on the person's and the event's pages, never
shown to anyone else, and part of the backup, the undo and the deletion.

The files come from other projects' test suites (tests/data/README.md): Pillow's photos with GPS and orientation
tags, filetype's MP4/AAC recording (what Safari records), its HEIC photo and a ZIP, phones' HEIC photos from
pillow-heif's and AVIF photos from Pillow's.
"""

import base64
import io
import json
import uuid
from pathlib import Path

import pytest
from conftest import PASSWORD, as_from_an_older_release, close_database, make_app
from PIL import Image, ImageOps, ImageStat
from steps import add_event, at_the_same_moment
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp import db
from webapp.attachments import checks
from webapp.exports.backup import backup
from webapp.imports.restore import BackupError, read_backup, restore
from webapp.models import Attachment, Conversation, Deletion, Person, User

MEDIA = Path(__file__).parent / "data" / "media"
SAFARI_VOICE = (MEDIA / "filetype-sample.m4a").read_bytes()
GPS_PHOTO = (MEDIA / "pillow-exif_gps.jpg").read_bytes()
SIDEWAYS_PHOTO = (MEDIA / "pillow-hopper_orientation_6.jpg").read_bytes()


def upload(data, name):
    return FileStorage(io.BytesIO(data), filename=name)


def post_files(client, url, fields, **kwargs):
    """A multipart POST as a browser sends it. Encoded here, in memory: the test client would spool a big body to
    a temporary file it never closes."""
    values = {k: upload(*v) if isinstance(v, tuple) else v for k, v in fields.items()}
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs)


def log(client, event_url, **fields):
    return post_files(client, event_url + "/people/new", fields)


def attachments_of(person_id):
    with db.database().connection_context():
        return list(Attachment.select().where(Attachment.person == person_id).order_by(Attachment.kind))


def only_person():
    with db.database().connection_context():
        return Person.get()


def test_a_voice_note_and_a_photo_are_saved_with_the_person_met(client, user):
    event_url = add_event(client)
    response = log(client, event_url, name="Grace Hopper", voice=(SAFARI_VOICE, "voice-note.m4a"),
                   photo=(GPS_PHOTO, "IMG_0001.jpg"))
    assert response.status_code == 302, response.get_data(as_text=True)
    grace = only_person()
    photo, voice = attachments_of(grace.id)
    assert (voice.kind, voice.content_type, bytes(voice.content)) == ("voice", "audio/mp4", SAFARI_VOICE)
    assert photo.kind == "photo" and photo.content_type == "image/jpeg"
    with db.database().connection_context():
        met_here = Conversation.get(Conversation.person == grace)
    assert voice.conversation_id == photo.conversation_id == met_here.id
    # The person page plays the voice note and shows the photo, both from the server.
    page = client.get(f"/people/{grace.id}").get_data(as_text=True)
    assert f'src="/attachments/{voice.id}"' in page and f'src="/attachments/{photo.id}/small"' in page
    event_page = client.get(event_url).get_data(as_text=True)
    assert f'src="/attachments/{voice.id}"' in event_page and f'src="/attachments/{photo.id}/small"' in event_page


def test_a_kept_photo_says_nothing_of_where_it_was_taken(client, user):
    with Image.open(io.BytesIO(GPS_PHOTO)) as original:
        assert original.getexif().get_ifd(0x8825), "the corpus photo carries a GPS position"
    log(client, add_event(client), name="Grace", photo=(GPS_PHOTO, "IMG_0001.jpg"))
    (photo,) = attachments_of(only_person().id)
    for stored in (photo.content, photo.thumbnail):
        with Image.open(io.BytesIO(bytes(stored))) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_a_photo_taken_sideways_is_kept_upright(client, user):
    log(client, add_event(client), name="Grace", photo=(SIDEWAYS_PHOTO, "IMG_0002.jpg"))
    (photo,) = attachments_of(only_person().id)
    with Image.open(io.BytesIO(SIDEWAYS_PHOTO)) as original:
        upright = ImageOps.exif_transpose(original).convert("RGB")
        raw = original.convert("RGB")
    with Image.open(io.BytesIO(bytes(photo.content))) as kept:
        kept = kept.convert("RGB")
    corner = (5, 5)
    assert _close(kept.getpixel(corner), upright.getpixel(corner))
    assert not _close(upright.getpixel(corner), raw.getpixel(corner)), "the corpus photo is really turned"


def _close(a, b, tolerance=40):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("corpus_file", [
    "pillow_heif-xiaomi.heic",  # a Xiaomi phone's photo, with where it was taken
    "pillow_heif-pug.heic",  # an iPhone's portrait, with where it was taken and a depth map
    "pillow_heif-L_exif_xmp_iptc.heic",  # greyscale, with EXIF, XMP and IPTC
    "filetype-sample.heic",
    "pillow-exif.avif",
    "pillow-rot1mir0.avif",  # turned and mirrored by the file's own transforms
    "pillow-xmp_tags_orientation.avif",  # turned by its XMP
])
def test_a_phones_heic_or_avif_photo_is_kept_as_a_jpeg_as_it_looks_and_without_where_it_was_taken(
        client, user, corpus_file):
    """A photo picked from an iPhone's or an Android phone's gallery reaches the server as the phone saved it."""
    original_bytes = (MEDIA / corpus_file).read_bytes()
    response = log(client, add_event(client), name="Grace", photo=(original_bytes, "IMG_4032.HEIC"))
    assert response.status_code == 302, response.get_data(as_text=True)
    (photo,) = attachments_of(only_person().id)
    with Image.open(io.BytesIO(original_bytes)) as original:  # read by pi-heif or Pillow, as the app reads it
        looks = ImageOps.exif_transpose(original).convert("RGB")
    looks.thumbnail((checks.PHOTO_LONG_SIDE, checks.PHOTO_LONG_SIDE))
    assert (photo.width, photo.height) == looks.size
    for stored in (photo.content, photo.thumbnail):
        with Image.open(io.BytesIO(bytes(stored))) as image:
            assert image.format == "JPEG"
            assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
    with Image.open(io.BytesIO(bytes(photo.content))) as kept_photo:
        kept_photo = kept_photo.convert("RGB")
    for x, y in ((0.2, 0.2), (0.5, 0.5), (0.8, 0.3), (0.3, 0.8)):
        spot = (int(x * looks.width), int(y * looks.height))
        assert _close(kept_photo.getpixel(spot), looks.getpixel(spot)), spot


@pytest.mark.parametrize("corpus_file", [
    "pillow-transparent.png",  # RGBA: a see-through background, half-see-through edges
    "pillow-p_trns_single.png",  # a palette with one see-through colour
    "pillow-rgb_trns.png",  # one RGB colour marked see-through
])
def test_a_picture_with_see_through_parts_is_kept_as_it_looks_on_white(client, user, corpus_file):
    """A logo, a badge or a screenshot saved with transparency: a JPEG has none, so what is see-through is white,
    as a photo viewer shows it, whatever colour those pixels happen to hold."""
    original_bytes = (MEDIA / corpus_file).read_bytes()
    response = log(client, add_event(client), name="Grace", photo=(original_bytes, "badge.png"))
    assert response.status_code == 302, response.get_data(as_text=True)
    (photo,) = attachments_of(only_person().id)
    with Image.open(io.BytesIO(original_bytes)) as original:
        rgba = original.convert("RGBA")
    alpha = rgba.getchannel("A")
    see_through = [(x, y) for y in range(0, rgba.height, 3) for x in range(0, rgba.width, 3)
                   if alpha.getpixel((x, y)) == 0]
    solid = [(x, y) for y in range(0, rgba.height, 3) for x in range(0, rgba.width, 3)
             if alpha.getpixel((x, y)) == 255]
    assert any(min(rgba.getpixel(spot)[:3]) < 200 for spot in see_through), "the file hides a colour there"
    with Image.open(io.BytesIO(bytes(photo.content))) as kept:
        kept = kept.convert("RGB")
    assert kept.size == rgba.size
    # JPEG blurs sharp edges a little: nearly every spot, not every one.
    assert sum(_close(kept.getpixel(spot), (255, 255, 255)) for spot in see_through) >= 0.95 * len(see_through)
    assert sum(_close(kept.getpixel(spot), rgba.getpixel(spot)[:3]) for spot in solid) >= 0.95 * len(solid)
    on_white = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("L")
    with Image.open(io.BytesIO(bytes(photo.thumbnail))) as small:  # the list's copy looks the same
        assert abs(ImageStat.Stat(small.convert("L")).mean[0] - ImageStat.Stat(on_white).mean[0]) < 8


def test_a_16_bit_grey_picture_keeps_its_greys(client, user):
    """Pillow reads a 16-bit PNG as 0-65535: cut to 8 bits by its top byte, not clipped to white."""
    ramp = Image.new("I;16", (256, 16))
    ramp.putdata([x * 256 for _ in range(16) for x in range(256)])
    data = io.BytesIO()
    ramp.save(data, "PNG")
    log(client, add_event(client), name="Grace", photo=(data.getvalue(), "scan.png"))
    (photo,) = attachments_of(only_person().id)
    with Image.open(io.BytesIO(bytes(photo.content))) as kept:
        kept = kept.convert("L")
    for x in (16, 64, 128, 200):
        assert abs(kept.getpixel((x, 8)) - x) <= 8, (x, kept.getpixel((x, 8)))


def test_a_big_photo_is_shrunk_to_what_a_phone_shows(client, user):
    big = io.BytesIO()
    Image.new("RGB", (4032, 3024), (200, 30, 30)).save(big, "JPEG", quality=95)
    log(client, add_event(client), name="Slide", photo=(big.getvalue(), "IMG_0003.jpg"))
    (photo,) = attachments_of(only_person().id)
    assert (photo.width, photo.height) == (1600, 1200)
    assert photo.size == len(bytes(photo.content)) < len(big.getvalue())
    with Image.open(io.BytesIO(bytes(photo.thumbnail))) as small:
        assert max(small.size) == 160


def test_a_voice_note_alone_is_enough_to_log_someone(client, user):
    event_url = add_event(client)
    response = log(client, event_url, voice=(SAFARI_VOICE, "voice-note.m4a"))
    assert response.status_code == 302, response.get_data(as_text=True)
    person = only_person()
    assert person.name == "" and person.description.startswith("Voice note at ")
    assert "1 of 3 met" in client.get(event_url).get_data(as_text=True)


def test_an_empty_form_still_asks_for_a_name(client, user):
    response = log(client, add_event(client), photo=(b"", ""))
    assert response.status_code == 200
    assert "Add a name, or a few words to recognise them by." in response.get_data(as_text=True)


def test_an_empty_photo_is_refused_with_a_word_and_what_was_typed_stays(client, user):
    """A photo still in the phone's cloud is handed over with no bytes: taken again, not dropped without a word."""
    response = log(client, add_event(client), name="Grace Hopper", company="US Navy", photo=(b"", "IMG_0001.jpg"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The photo is empty: take it again." in page
    assert 'value="Grace Hopper"' in page and 'value="US Navy"' in page
    with db.database().connection_context():
        assert Person.select().count() == 0 and Attachment.select().count() == 0
    # The same on a person's page.
    log(client, add_event(client), name="Grace")
    grace = only_person()
    empty = post_files(client, f"/people/{grace.id}/attachments", {"photo": (b"", "IMG_0002.jpg"), "token": "t1"},
                       follow_redirects=True)
    assert "The photo is empty: take it again." in empty.get_data(as_text=True)
    assert attachments_of(grace.id) == []


@pytest.mark.parametrize("field, corpus_file, message", [
    ("voice", "filetype-sample.zip", "This is not a sound recording this app can keep"),
    ("voice", "pillow-exif_gps.jpg", "This is not a sound recording this app can keep"),
    ("photo", "pillow_heif-corrupted.heic", "This is not a photo this app can read"),
    ("photo", "pillow-truncated_jpeg.jpg", "This is not a photo this app can read"),
    ("photo", "filetype-sample.m4a", "This is not a photo this app can read"),
])
def test_what_is_not_a_voice_note_or_a_photo_is_refused_by_its_content_and_nothing_is_saved(
        client, user, field, corpus_file, message):
    # The name says it is fine; the content says otherwise.
    name = "voice-note.webm" if field == "voice" else "photo.jpg"
    response = log(client, add_event(client), name="Grace", **{field: ((MEDIA / corpus_file).read_bytes(), name)})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with db.database().connection_context():
        assert Person.select().count() == 0 and Attachment.select().count() == 0


def test_a_voice_note_over_its_cap_is_refused_with_the_cap(client, user):
    too_long = SAFARI_VOICE + b"\0" * (checks.VOICE_MAX_BYTES - len(SAFARI_VOICE) + 1)
    response = log(client, add_event(client), name="Grace", voice=(too_long, "voice-note.m4a"))
    assert response.status_code == 200
    assert "The voice note is over 3 MB" in response.get_data(as_text=True)


def test_a_photo_bigger_than_the_upload_limit_gets_a_clear_page_with_that_limit(client, user):
    event_url = add_event(client)
    response = log(client, event_url, name="Grace", photo=(b"\xff" * (21 * 1024 * 1024), "huge.jpg"))
    assert response.status_code == 413
    assert "The upload is over the 20 MB limit." in response.get_data(as_text=True)
    # The phone's queue shows the server's words with the entry it could not send.
    answer = sent_file(client, str(uuid.uuid4()), "photo", b"\xff" * (21 * 1024 * 1024))
    assert answer.status_code == 413 and answer.json["error"].startswith("The upload is over the 20 MB limit.")
    # The other forms keep the app's 5 MB.
    response = client.post(event_url + "/edit", data={"name": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "The upload is over the 5 MB limit." in response.get_data(as_text=True)


def test_a_form_sent_twice_keeps_its_files_once(client, user):
    event_url = add_event(client)
    entry = str(uuid.uuid4())
    for _ in range(2):
        log(client, event_url, name="Grace", entry=entry, voice=(SAFARI_VOICE, "voice-note.m4a"))
    with db.database().connection_context():
        assert Person.select().count() == 1 and Attachment.select().count() == 1


def test_files_wait_while_met_before_is_asked_and_join_the_person_chosen(client, user):
    event_url = add_event(client)
    log(client, event_url, name="Grace Hopper")
    grace = only_person()
    entry = str(uuid.uuid4())
    asked = log(client, event_url, name="grace hopper", entry=entry, photo=(GPS_PHOTO, "IMG_0001.jpg"))
    assert asked.status_code == 200 and f'name="same_as" value="{grace.id}"' in asked.get_data(as_text=True)
    assert "Your photo is kept" in asked.get_data(as_text=True)
    assert attachments_of(grace.id) == []
    # The form comes back without its file (a browser cannot refill one); the photo waits under the entry.
    response = log(client, event_url, name="grace hopper", entry=entry, same_as=str(grace.id))
    assert response.status_code == 302
    (photo,) = attachments_of(grace.id)
    assert photo.person_id == grace.id


def test_another_users_voice_notes_and_photos_are_404(app, client, user):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "v.m4a"), photo=(GPS_PHOTO, "p.jpg"))
    grace = only_person()
    ids = [a.id for a in attachments_of(grace.id)]
    other = app.test_client()
    other.post("/signup", data={"email": "mallory@example.com", "password": "correct horse battery staple 9",
                                "display_name": "Mallory", "timezone": "UTC"})
    for attachment_id in ids:
        for path in (f"/attachments/{attachment_id}", f"/attachments/{attachment_id}/small",
                     f"/attachments/{attachment_id}/delete"):
            assert other.get(path).status_code == 404
        assert other.post(f"/attachments/{attachment_id}/delete").status_code == 404
    assert post_files(other, f"/people/{grace.id}/attachments", {"photo": (GPS_PHOTO, "p.jpg")}).status_code == 404
    assert len(attachments_of(grace.id)) == 2


def test_a_voice_note_is_served_as_what_it_is_and_in_ranges_for_safari(client, user):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "voice-note.webm"))
    (voice,) = attachments_of(only_person().id)
    whole = client.get(f"/attachments/{voice.id}")
    assert whole.status_code == 200 and whole.mimetype == "audio/mp4" and whole.data == SAFARI_VOICE
    assert whole.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in whole.headers[
        "Content-Security-Policy"]
    part = client.get(f"/attachments/{voice.id}", headers={"Range": "bytes=0-1"})
    assert part.status_code == 206 and part.data == SAFARI_VOICE[:2]
    assert part.headers["Content-Range"] == f"bytes 0-1/{len(SAFARI_VOICE)}"


def test_a_file_is_asked_for_again_each_time_so_a_shared_phone_keeps_nobodys_photos(client, user):
    """A browser's own cache outlives a logout: files may be kept there only to be asked about again (a 304
    when unchanged), never shown from it on their own."""
    log(client, add_event(client), name="Grace", photo=(GPS_PHOTO, "IMG_0001.jpg"))
    (photo,) = attachments_of(only_person().id)
    for url in (f"/attachments/{photo.id}", f"/attachments/{photo.id}/small"):
        first = client.get(url)
        assert first.headers["Cache-Control"] == "private, no-cache"
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_a_photo_is_added_and_deleted_on_the_person_page_without_script(client, user):
    log(client, add_event(client), name="Grace")
    grace = only_person()
    page = client.get(f"/people/{grace.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'capture="environment"' in page
    response = post_files(client, f"/people/{grace.id}/attachments", {"photo": (GPS_PHOTO, "p.jpg"), "token": "t1"},
                          follow_redirects=True)
    assert "Photo added to Grace." in response.get_data(as_text=True)
    (photo,) = attachments_of(grace.id)
    assert photo.conversation_id is not None
    nothing = post_files(client, f"/people/{grace.id}/attachments", {"token": "t2"}, follow_redirects=True)
    assert "Record a voice note or take a photo first." in nothing.get_data(as_text=True)
    assert "Delete this photo?" in client.get(f"/attachments/{photo.id}/delete").get_data(as_text=True)
    deleted = client.post(f"/attachments/{photo.id}/delete", follow_redirects=True)
    assert "The photo was deleted." in deleted.get_data(as_text=True)
    assert attachments_of(grace.id) == [] and only_person().name == "Grace"


def test_deleting_a_person_deletes_their_files_and_undo_brings_them_back_whole(client, user):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "v.m4a"), photo=(GPS_PHOTO, "p.jpg"))
    grace = only_person()
    before = [(a.kind, bytes(a.content), a.thumbnail and bytes(a.thumbnail)) for a in attachments_of(grace.id)]
    client.post(f"/people/{grace.id}/delete")
    with db.database().connection_context():
        assert Attachment.select().count() == 0
        kept = Deletion.get()
    client.post(f"/people/deleted/{kept.id}/undo")
    after = [(a.kind, bytes(a.content), a.thumbnail and bytes(a.thumbnail)) for a in attachments_of(only_person().id)]
    assert after == before


def test_voice_notes_and_photos_go_through_the_backup_and_come_back_identical(app, client, user):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "v.m4a"), photo=(GPS_PHOTO, "p.jpg"))
    with db.database().connection_context():
        ada = User.get()
        document = json.loads(json.dumps(backup(ada)))
        assert [a["kind"] for a in document["attachments"]] == ["voice", "photo"]
        fresh = User.create(email="fresh@example.com", password_hash="x")
        counts = restore(fresh, read_backup(json.dumps(document).encode()))
        assert counts["attachments"] == 2
        restored = {a.kind: a for a in Attachment.select().where(Attachment.owner == fresh.id)}
        originals = {a.kind: a for a in Attachment.select().where(Attachment.owner == ada.id)}
        for kind in ("voice", "photo"):
            assert bytes(restored[kind].content) == bytes(originals[kind].content)
            assert restored[kind].uuid != originals[kind].uuid  # restored next to its original: ids of its own
            assert restored[kind].person.owner_id == fresh.id
        # Backing up the restored account gives the same files again.
        assert [a["content"] for a in backup(fresh)["attachments"]] == [a["content"] for a in document["attachments"]]


@pytest.mark.parametrize("change, message", [
    ({"content_type": "text/html", "content": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
     "voice note or photo 1: this is not a sound recording"),
    ({"content_type": "text/html"}, "the voice note is not text/html"),
    ({"kind": "photo", "content_type": "image/jpeg", "thumbnail": None,
      "content": "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}, "the photo cannot be read"),
    ({"content": "not base64!"}, "should be a file in base64"),
    # A JPEG cut short (Pillow's corpus): its headers are whole, its picture is not. An upload refuses it.
    ({"kind": "photo", "content_type": "image/jpeg", "thumbnail": None,
      "content": base64.b64encode((MEDIA / "pillow-truncated_jpeg.jpg").read_bytes()).decode()},
     "the photo cannot be read"),
])
def test_a_backup_cannot_bring_in_a_file_that_is_not_what_it_says(app, client, user, change, message):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "v.m4a"))
    with db.database().connection_context():
        document = backup(User.get())
        document["attachments"][0].update(change)
        fresh = User.create(email="fresh@example.com", password_hash="x")
        with pytest.raises(BackupError, match=message):
            restore(fresh, read_backup(json.dumps(document).encode()))
        assert Attachment.select().where(Attachment.owner == fresh.id).count() == 0


def test_a_backup_made_before_voice_notes_existed_still_restores(app, client, user):
    log(client, add_event(client), name="Grace")
    with db.database().connection_context():
        document = backup(User.get())
        del document["attachments"]
        document["version"] = 1
        fresh = User.create(email="fresh@example.com", password_hash="x")
        assert restore(fresh, read_backup(json.dumps(document).encode()))["attachments"] == 0


def test_deleting_the_account_deletes_every_file(app, client, user):
    log(client, add_event(client), name="Grace", voice=(SAFARI_VOICE, "v.m4a"))
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    with db.database().connection_context():
        assert User.select().count() == 0 and Attachment.select().count() == 0


def test_the_upload_limit_is_only_raised_where_files_are_sent(database_url):
    app = make_app(database_url)
    client = app.test_client()
    too_big_for_a_page = {"name": "x" * (6 * 1024 * 1024)}
    assert client.post("/login", data=too_big_for_a_page).status_code == 413


# --- Kept on the phone with no signal, sent after their entry (or before it: the order is not guaranteed) ---

def sent_file(client, entry, kind="voice", data=SAFARI_VOICE, file_id=None):
    return post_files(client, "/sync/attachments", {"uuid": file_id or str(uuid.uuid4()), "entry": entry,
                                                    "kind": kind, "file": (data, "blob")})


def meeting(event_url, entry, **fields):
    return {"uuid": entry, "event_id": int(event_url.rstrip("/").split("/")[-1]), "name": "Grace Hopper", **fields}


def test_a_voice_note_sent_before_its_entry_waits_for_it_then_joins_the_person(client, user):
    event_url = add_event(client)
    entry = str(uuid.uuid4())
    response = sent_file(client, entry)
    assert response.status_code == 201 and response.json["linked"] is False
    assert client.post("/sync/meetings", json=meeting(event_url, entry)).status_code == 201
    (voice,) = attachments_of(only_person().id)
    assert bytes(voice.content) == SAFARI_VOICE


def test_a_photo_sent_after_its_entry_joins_the_person_at_once_and_only_once(client, user):
    event_url = add_event(client)
    entry, file_id = str(uuid.uuid4()), str(uuid.uuid4())
    client.post("/sync/meetings", json=meeting(event_url, entry))
    first = sent_file(client, entry, "photo", GPS_PHOTO, file_id)
    again = sent_file(client, entry, "photo", GPS_PHOTO, file_id)  # the first answer was lost
    assert (first.status_code, first.json["linked"], again.status_code) == (201, True, 200)
    assert len(attachments_of(only_person().id)) == 1


def test_a_photo_sent_after_an_entry_that_met_someone_again_at_the_same_event_joins_that_meeting(client, user):
    event_url = add_event(client)
    client.post("/sync/meetings", json=meeting(event_url, str(uuid.uuid4())))
    grace = only_person()
    again = str(uuid.uuid4())
    answer = client.post("/sync/meetings", json=meeting(event_url, again, notes="Day 2", same_as=str(grace.id)))
    assert answer.status_code == 201 and answer.json["person_id"] == grace.id
    response = sent_file(client, again, "photo", GPS_PHOTO)
    assert response.status_code == 201 and response.json["linked"] is True
    (photo,) = attachments_of(grace.id)
    with db.database().connection_context():
        assert photo.conversation_id == Conversation.get(Conversation.person == grace.id).id



@pytest.mark.parametrize("photo_first", [False, True])
def test_a_photo_arriving_at_the_same_moment_as_its_entry_joins_the_person(app, client, user, photo_first):
    event_url = add_event(client)
    entry = str(uuid.uuid4())
    sends = [lambda c: c.post("/sync/meetings", json=meeting(event_url, entry, name="Photo P0")),
             lambda c: sent_file(c, entry, "photo", GPS_PHOTO)]
    saved = at_the_same_moment(app, client, *(reversed(sends) if photo_first else sends))
    assert [r.status_code for r in saved] == [201, 201]
    (photo,) = attachments_of(only_person().id)
    with db.database().connection_context():
        assert photo.conversation_id == Conversation.get(Conversation.uuid == uuid.UUID(entry)).id


def left_waiting(client):
    """An entry stored and its photo kept beside it unlinked, as a release that did not make the two take turns left
    them when they arrived at the same moment. Returns their ids."""
    event_url = add_event(client)
    entry, file_id = str(uuid.uuid4()), str(uuid.uuid4())
    assert client.post("/sync/meetings", json=meeting(event_url, entry)).status_code == 201
    with db.database().connection_context():
        checked = checks.check("photo", GPS_PHOTO)
        Attachment.create(uuid=uuid.UUID(file_id), owner=only_person().owner_id, entry=uuid.UUID(entry),
                          kind="photo", content_type=checked.content_type, content=checked.content,
                          size=len(checked.content))
    assert attachments_of(only_person().id) == []
    return entry, file_id


def test_a_photo_left_waiting_beside_its_stored_entry_joins_the_person_when_sent_again(client, user):
    entry, file_id = left_waiting(client)
    again = sent_file(client, entry, "photo", GPS_PHOTO, file_id)
    assert (again.status_code, again.json["status"], again.json["linked"]) == (200, "already saved", True)
    (photo,) = attachments_of(only_person().id)
    assert str(photo.uuid) == file_id


def test_a_photo_left_waiting_beside_its_stored_entry_joins_the_person_once_this_release_starts(app, client, user):
    """The phone was told the photo was saved: it never sends it again."""
    _, file_id = left_waiting(client)
    waiting = sent_file(client, str(uuid.uuid4()), "photo", GPS_PHOTO)  # its entry not stored yet: it stays waiting
    as_from_an_older_release()
    close_database()
    make_app(app.config["DATABASE_URL"])
    (photo,) = attachments_of(only_person().id)
    assert str(photo.uuid) == file_id
    with db.database().connection_context():
        assert Attachment.get(Attachment.uuid == uuid.UUID(waiting.json["uuid"])).person_id is None

def test_a_synced_file_is_checked_like_any_other(client, user):
    response = sent_file(client, str(uuid.uuid4()), "voice", (MEDIA / "filetype-sample.zip").read_bytes())
    assert response.status_code == 400
    assert "not a sound recording" in response.json["fields"]["file"][0]
    for broken in ({"uuid": "nope"}, {"entry": "nope"}, {"kind": "video"}):
        fields = {"uuid": str(uuid.uuid4()), "entry": str(uuid.uuid4()), "kind": "voice",
                  "file": (SAFARI_VOICE, "blob"), **broken}
        answer = post_files(client, "/sync/attachments", fields)
        assert answer.status_code == 400 and answer.json["fields"], answer.json
    with db.database().connection_context():
        assert Attachment.select().count() == 0


def test_another_users_file_id_is_not_confirmed_and_nothing_is_linked_across_accounts(app, client, user):
    event_url = add_event(client)
    entry, file_id = str(uuid.uuid4()), str(uuid.uuid4())
    client.post("/sync/meetings", json=meeting(event_url, entry))
    assert sent_file(client, entry, file_id=file_id).status_code == 201
    other = app.test_client()
    other.post("/signup", data={"email": "mallory@example.com", "password": PASSWORD, "display_name": "M",
                                "timezone": "UTC"})
    assert sent_file(other, entry, file_id=file_id).status_code == 404
    # Mallory's own file naming Ada's entry never lands on Ada's person.
    assert sent_file(other, entry).json["linked"] is False
    assert len(attachments_of(only_person().id)) == 1


def test_a_file_from_a_logged_out_phone_waits(app):
    assert sent_file(app.test_client(), str(uuid.uuid4())).status_code == 401


def test_a_photo_added_on_a_persons_page_with_no_signal_joins_them_once_and_never_another_accounts_person(app, client,
                                                                                                         user):
    event_url = add_event(client)
    client.post("/sync/meetings", json=meeting(event_url, str(uuid.uuid4())))
    grace = only_person()
    fields = {"uuid": str(uuid.uuid4()), "person": str(grace.id), "kind": "photo", "file": (GPS_PHOTO, "blob")}
    first = post_files(client, "/sync/attachments", fields)
    again = post_files(client, "/sync/attachments", fields)  # the first answer was lost
    assert (first.status_code, first.json["linked"], again.status_code) == (201, True, 200)
    (photo,) = attachments_of(grace.id)
    with db.database().connection_context():
        assert photo.conversation_id == Conversation.get(Conversation.person == grace.id).id
    other = app.test_client()
    other.post("/signup", data={"email": "mallory@example.com", "password": PASSWORD, "display_name": "M",
                                "timezone": "UTC"})
    answer = post_files(other, "/sync/attachments", {**fields, "uuid": str(uuid.uuid4())})
    assert answer.status_code == 404 and "no longer here" in answer.json["error"]
    for nobody in ({"person": ""}, {"person": "99999999999999999999"}, {"person": "Grace"}):
        answer = post_files(client, "/sync/attachments", {**fields, "uuid": str(uuid.uuid4()), **nobody})
        assert answer.status_code == 400 and answer.json["fields"], answer.json
    assert len(attachments_of(grace.id)) == 1
