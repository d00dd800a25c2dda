"""ZXing's and zxing-cpp's public QR test images (tests/data/qr, with the expected text beside each image) read by
the log form's "Photo of their QR" in Debian's Chromium, and by zxing-cpp itself on the same images: the phone
reads at least as many correctly, every photo gets an answer within 3 s, and non-Latin text comes through intact.
All images go through one page, one after the other, as someone trying photo after photo would."""

import json
import time
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from steps import add_event_today, sign_up

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "qr"
IMAGES = sorted(p for p in CORPUS.rglob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp")
                and p.with_suffix(".txt").exists())
ANSWER_WITHIN_S = 3.0

# Instruments the page, not the scanner: when the photo was chosen, and when the status line answered.
WATCH_STATUS = """() => {
  const input = document.querySelector('[data-scan-photo]');
  const status = document.querySelector('[data-scan-status]');
  window.scanTimes = {};
  input.addEventListener('change', () => { window.scanTimes = { chosen: performance.now() }; }, true);
  new MutationObserver(() => {
    const text = status.textContent;
    if (text && !text.startsWith('Reading the photo') && window.scanTimes.chosen && !window.scanTimes.answered) {
      window.scanTimes.answered = performance.now();
      window.scanTimes.text = text;
    }
  }).observe(status, { childList: true, characterData: true, subtree: true });
}"""

CLEAR_FORM = """() => {
  for (const name of ['notes', 'scanned_text', 'linkedin_url', 'name']) {
    document.querySelector(`[name=${name}]`).value = '';
  }
  document.querySelector('[data-scan-status]').textContent = '';
}"""

WHAT_WAS_READ = """() => ({
  notes: document.querySelector('[name=notes]').value,
  scanned: document.querySelector('[name=scanned_text]').value,
  linkedin: document.querySelector('[name=linkedin_url]').value,
  times: window.scanTimes,
})"""


def expected_text(image):
    return image.with_suffix(".txt").read_bytes().decode("utf-8")


def read_on_the_phone(page, image):
    page.evaluate(CLEAR_FORM)
    page.set_input_files("[data-scan-photo]", str(image))
    page.wait_for_function("() => window.scanTimes && window.scanTimes.answered", timeout=15000)
    found = page.evaluate(WHAT_WAS_READ)
    seconds = (found["times"]["answered"] - found["times"]["chosen"]) / 1000
    return found["scanned"], seconds, found["times"]["text"]


def read_with_zxingcpp(image):
    with Image.open(image) as picture:
        picture.load()
        return [r.text for r in zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.fixture(scope="module")
def corpus_results(live_server, browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_up(page, live_server.url, "Ada Corpus")
    event_id = add_event_today(page, live_server.url, "QR corpus night")
    page.goto(live_server.url + f"/events/{event_id}/people/new")
    page.evaluate(WATCH_STATUS)
    rows, stuck = [], []
    started = time.perf_counter()
    for image in IMAGES:
        expected = expected_text(image)
        try:
            text, seconds, message = read_on_the_phone(page, image)
        except PlaywrightTimeout:
            # Seen once in a full run on a loaded machine, never alone: say what the page showed, then give
            # the image one more try on a fresh copy of the form (reported in the summary).
            stuck.append({"image": image.name, "url": page.url, "status": page.evaluate(
                "() => document.querySelector('[data-scan-status]')?.textContent")})
            page.goto(live_server.url + f"/events/{event_id}/people/new")
            page.evaluate(WATCH_STATUS)
            text, seconds, message = read_on_the_phone(page, image)
        zxing_texts = read_with_zxingcpp(image)
        rows.append({"image": str(image.relative_to(CORPUS)), "phone": text == expected,
                     "zxingcpp": expected in zxing_texts, "seconds": round(seconds, 3), "message": message,
                     "non_latin": any(ord(c) > 0x2FF for c in expected)})
    context.close()
    summary = {"images": len(rows), "phone": sum(r["phone"] for r in rows),
               "zxingcpp": sum(r["zxingcpp"] for r in rows), "slowest_s": max(r["seconds"] for r in rows),
               "first_decode_s": rows[0]["seconds"], "run_s": round(time.perf_counter() - started, 1),
               "page_errors": errors, "stuck_then_retried": stuck}
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "qr-corpus.json").write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))
    print("\nQR corpus:", summary)
    return rows, summary


def test_the_corpus_holds_both_projects_test_sets():
    folders = {p.relative_to(CORPUS).parts[:2] for p in IMAGES}
    for project in ("zxing", "zxing-cpp"):
        assert {f for p, f in folders if p == project} >= {f"qrcode-{i}" for i in range(1, 7)}, project
    assert len(IMAGES) >= 150


def test_the_phone_reads_at_least_as_many_corpus_images_as_zxing_cpp(corpus_results):
    rows, summary = corpus_results
    assert summary["phone"] >= summary["zxingcpp"], [r["image"] for r in rows if r["zxingcpp"] and not r["phone"]]
    assert summary["page_errors"] == []


def test_every_corpus_photo_gets_an_answer_within_3_seconds(corpus_results):
    rows, summary = corpus_results
    slow = [(r["image"], r["seconds"]) for r in rows if r["seconds"] > ANSWER_WITHIN_S + 0.1]
    assert slow == []
    assert len(summary["stuck_then_retried"]) <= 1, summary["stuck_then_retried"]  # one hiccup, not a pattern
    # What was not read says so in words, never the "Reading…" line left standing.
    for row in rows:
        if not row["phone"]:
            assert row["message"] and "Reading" not in row["message"], row


def test_non_latin_text_in_the_corpus_comes_through_intact(corpus_results):
    rows, _ = corpus_results
    non_latin = [r for r in rows if r["non_latin"] and r["zxingcpp"]]
    assert len(non_latin) >= 5
    assert all(r["phone"] for r in non_latin), [r["image"] for r in non_latin if not r["phone"]]
