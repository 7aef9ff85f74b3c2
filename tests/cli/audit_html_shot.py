"""audit_html_shot.py HTML PNG WORD... — draw the audit's HTML report with
headless Chromium and check that it shows its words as glyphs:

  - the DOM Chromium built holds every WORD (the report's Chinese headings);
  - the screenshot of the page (saved to PNG) is a page, not a blank: many
    pixels drawn, in many colours;
  - in the report's own font (sans-serif), the first character of each WORD
    renders differently from the others and from a character no font has
    (U+E000, which renders as the "tofu" box): with no CJK font every one
    of them would be the same box.

Exits 77 when no Chromium is installed. Python's standard library only (the
PNG is decoded by png_rows.py, beside this file)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import png_rows

HTML, PNG, WORDS = sys.argv[1], sys.argv[2], sys.argv[3:]
CHROME = next((shutil.which(c) for c in ("chromium", "chromium-browser", "google-chrome")
               if shutil.which(c)), None)
if CHROME is None:
    print("no Chromium: skipped")
    sys.exit(77)


def chrome(*args):
    home = tempfile.mkdtemp()
    r = subprocess.run([CHROME, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--user-data-dir=" + home, *args], capture_output=True, text=True,
                       timeout=120)
    shutil.rmtree(home, ignore_errors=True)
    return r


def shot(url, out, size="1100,1400"):
    r = chrome("--window-size=" + size, "--screenshot=" + out, url)
    assert os.path.exists(out), r.stderr[-2000:]


def pixels(path):
    """(width, height, rows of RGB tuples) of a PNG screenshot."""
    with open(path, "rb") as f:
        w, h, ch, rows = png_rows.decode(f.read())
    return w, h, [[tuple(row[i:i + 3]) for i in range(0, w * ch, ch)] for row in rows]


# ---- the DOM holds the words --------------------------------------------------------
url = "file://" + os.path.abspath(HTML)
dom = chrome("--dump-dom", url).stdout
text = re.sub(r"<[^>]*>", " ", dom)
for word in WORDS:
    assert word in text, "%s is not in the page Chromium built" % word
assert re.search(r'<html lang="zh-CN"', dom), dom[:200]

# ---- the screenshot is a page -------------------------------------------------------
shot(url, PNG)
w, h, rows = pixels(PNG)
drawn = sum(1 for row in rows for p in row if p != (255, 255, 255))
colours = {p for row in rows[::7] for p in row[::7]}
assert drawn > w * h // 100, "only %d of %d pixels drawn" % (drawn, w * h)
assert len(colours) > 8, "%d colours" % len(colours)

# ---- glyphs, not boxes --------------------------------------------------------------
tmp = tempfile.mkdtemp()
chars = sorted({word[0] for word in WORDS} | {word[-1] for word in WORDS}) + ["\ue000"]
images = {}
for i, ch in enumerate(chars):
    page = os.path.join(tmp, "g%d.html" % i)
    with open(page, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8">'
                '<body style="margin:0;background:#fff"><p style="font:96px sans-serif;'
                'margin:10px">%s</p></body></html>' % ch)
    out = os.path.join(tmp, "g%d.png" % i)
    shot("file://" + page, out, "200,160")
    images[ch] = pixels(out)[2]
shutil.rmtree(tmp, ignore_errors=True)
tofu = images.pop("\ue000")
for ch, img in images.items():
    ink = sum(1 for row in img for p in row if p != (255, 255, 255))
    assert ink > 100, "%s draws %d pixels" % (ch, ink)
    assert img != tofu, "%s renders as the box of a character no font has" % ch
    for other, img2 in images.items():
        assert other == ch or img != img2, "%s and %s render alike (boxes?)" % (ch, other)
print("rendered: %dx%d, %d pixels drawn, %d glyphs distinct" % (w, h, drawn, len(images)))
