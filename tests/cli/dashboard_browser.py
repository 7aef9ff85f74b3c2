"""dashboard_browser.py URL HOME SHOTS — drive headless Chromium over every
page of the dashboard at URL (the node of HOME) and check what it shows
against the CLI's JSON for HOME (cofund --home HOME QUERY --format json):
the figures, the escaping of a member-supplied name, no error in the
console (a Content-Security-Policy violation is one), a proof download, a
live update; in both languages (中文 / English) and both units (元 / 万元),
chosen with the page's switches: the words, every amount heading naming
the unit, amounts exactly the JSON's yuan ÷ 10,000, dates as the network's
zone writes them; in Chinese, that the glyphs render (a CJK font, ink in
the heading). Saves a screenshot of each page into SHOTS. Exits 77 when
Selenium or Chromium is missing."""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import png_rows

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
except ImportError:
    print("python3-selenium is missing: skipped")
    sys.exit(77)

URL, HOME, SHOTS = sys.argv[1:4]
BIN = os.environ["COFUND_BIN"]
DEADLINE_S = float(os.environ.get("DEADLINE_S", "40"))
HOSTILE = "<script>alert(1)</script>"
CHINESE_NAME = "机器人产线"


MEMBER_DISPLAY = "社会资本甲"


def project_label(id):
    """A project as the pages name it: its id with its display name when that differs."""
    name = {p["project"]: p["name"] for p in cli("projects")}.get(id)
    if not name or name == id:
        return id
    return ("%s（%s）" if LANG == "zh" else "%s (%s)") % (id, name)


def member_label(holder):
    """A member (a position's holder) as the pages name it: its display name, else its name."""
    m = {m["key"]: m for m in cli("members")}.get(holder["key"])
    return (m and m["display"]) or holder["name"]


def cli(*args):
    out = subprocess.run([BIN, "--home", HOME, *args, "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def money(s):
    """What a page shows for an amount: grouped, or an em dash for null."""
    if s is None:
        return "\u2014"
    i, _, f = s.partition(".")
    neg = i.startswith("-")
    i = i.lstrip("-")
    g = ""
    while len(i) > 3:
        g = "," + i[-3:] + g
        i = i[:-3]
    return ("-" if neg else "") + i + g + ("." + f if f else "")


def group(digits):
    g = ""
    while len(digits) > 3:
        g = "," + digits[-3:] + g
        digits = digits[:-3]
    return digits + g


def wan(s):
    """What a page shows for an amount in 万元: the yuan in fen, divided by
    1,000,000 in integers; six decimals at most, at least two."""
    if s is None:
        return "\u2014"
    i, _, f = s.partition(".")
    neg = i.startswith("-")
    cents = int(i.lstrip("-") or "0") * 100 + int((f + "00")[:2])
    whole, rest = divmod(cents, 1000000)
    dec = "%06d" % rest
    while len(dec) > 2 and dec.endswith("0"):
        dec = dec[:-1]
    return ("-" if neg and cents else "") + group(str(whole)) + "." + dec


assert wan("300000.00") == "30.00" and wan("1234.56") == "0.123456" and wan("-5.00") == "-0.0005"
assert wan("123456789.10") == "12,345.67891" and wan("0.00") == "0.00"
UNIT = "yuan"
LANG = "en"


def amount(s):
    """An amount as the page shows it in the unit chosen."""
    return wan(s) if UNIT == "wan" else money(s)


def when(s):
    """A time as the page shows it: as the JSON writes it (the network's zone)."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$", s)
    y, mo, d, hh, mm, z = m.groups()
    z = "+00:00" if z == "Z" else z
    if LANG == "zh":
        return "%s年%d月%d日 %s:%s %s" % (y, int(mo), int(d), hh, mm, z)
    return "%s-%s-%s %s:%s %s" % (y, mo, d, hh, mm, z)


def text(v):
    return "\u2014" if v is None else str(v)


def find_driver():
    chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), None)
    driver = next((p for p in ("/usr/bin/chromedriver",) if os.path.exists(p)), None)
    if chromium is None or driver is None:
        print("chromium or chromium-driver is missing: skipped")
        sys.exit(77)
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1000", "--lang=en-US"):
        o.add_argument(a)
    o.binary_location = chromium
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=o)


d = find_driver()
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def wait(cond, what):
    end = time.time() + DEADLINE_S
    while time.time() < end:
        try:
            v = cond()
        except (StaleElementReferenceException, NoSuchElementException):
            v = None  # the page was redrawn between finding and reading: again
        if v:
            return v
        time.sleep(0.05)
    raise SystemExit("FAIL: no %s within %s s" % (what, DEADLINE_S))


def load(path, name):
    d.get(URL + path)
    wait(lambda: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded"), "page " + path)
    state = d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded")
    if state != "1":
        raise SystemExit("FAIL: %s: %s" % (path, d.find_element(By.ID, "main").text))
    check(d.find_element(By.TAG_NAME, "body").get_attribute("data-page") == name, path + ": page " + name)
    errors = [l["message"] for l in d.get_log("browser") if l["level"] == "SEVERE"]
    check(not errors, path + ": console errors: %s" % errors)
    # Nothing a member wrote became markup: no script element in the page's body.
    check(d.execute_script("return document.querySelectorAll('main script, main iframe').length") == 0,
          path + ": a script element in the page")
    check(d.find_element(By.TAG_NAME, "body").get_attribute("data-lang") == LANG and
          d.find_element(By.TAG_NAME, "body").get_attribute("data-unit") == UNIT,
          path + ": in %s, %s" % (LANG, UNIT))
    check_words(path)
    suffix = "" if (LANG, UNIT) == ("en", "yuan") else "-%s-%s" % (LANG, UNIT)
    d.save_screenshot(os.path.join(SHOTS, (path.strip("/").replace("/", "-") or "network") + suffix + ".png"))


CJK = re.compile("[\u4e00-\u9fff]")
UNIT_NAME = {("en", "yuan"): "(yuan)", ("en", "wan"): "(10k yuan)", ("zh", "yuan"): "(元)",
             ("zh", "wan"): "(万元)"}
# The API's amount fields: their column headings and key figures name the unit.
AMOUNTS = {"deployed", "budget", "budget_left", "counterpart", "cap", "cap_left", "outstanding",
           "amount", "awaiting", "matchable", "invested", "exited", "net", "awarded",
           "equipment_price", "lent", "subsidised", "guaranteed", "losses", "price", "down",
           "financing", "advance", "balance", "deposited", "headroom", "awaiting_match", "financed"}


def check_words(path):
    """The page speaks LANG: its headings and navigation, every amount's
    heading naming the unit, no heading of the other language."""
    info = d.execute_script("""
        const heads = [];
        for (const t of document.querySelectorAll('main table')) {
          const ths = Array.from(t.querySelectorAll('thead th'), (th) => th.innerText.trim());
          const tds = Array.from(t.querySelectorAll('tbody tr:first-child td'), (td) => td.dataset.field);
          ths.forEach((h, i) => heads.push([tds[i], h]));
        }
        for (const c of document.querySelectorAll('main .card'))
          heads.push([c.dataset.field, c.querySelector('.k').innerText.trim()]);
        return {h1: document.querySelector('main h1') ? document.querySelector('main h1').innerText : '',
                h2: Array.from(document.querySelectorAll('main h2'), (h) => h.innerText),
                nav: document.getElementById('nav').innerText, heads: heads,
                title: document.title, lang: document.documentElement.lang};""")
    unit = UNIT_NAME[(LANG, UNIT)]
    for field, head in info["heads"]:
        if field in AMOUNTS:
            check(head.endswith(unit), "%s: the heading %r of %s names no %s" % (path, head, field, unit))
    words = [info["h1"], info["nav"], info["title"]] + info["h2"]
    if LANG == "zh":
        check(info["lang"] == "zh-CN", path + ": <html lang> " + info["lang"])
        for w in words:
            check(CJK.search(w), "%s: %r is not Chinese" % (path, w))
        check("网络" in info["nav"] and "流水" in info["nav"], path + ": the navigation in Chinese")
    else:
        for w in words:
            check(not CJK.search(w), "%s: %r is not English" % (path, w))
        check("Network" in info["nav"], path + ": the navigation in English")


def check_glyphs(path):
    """In Chinese the heading shows glyphs: a CJK font is there, and the
    screenshot holds ink in the heading's box (neither blank nor a block)."""
    load(path, path.strip("/"))
    font = d.execute_script("return document.fonts.check('16px \"Noto Sans CJK SC\"', '网络')")
    check(font, "no CJK font (fonts-noto-cjk) for the Chinese pages")
    r = d.execute_script("""const r = document.querySelector('main h1').getBoundingClientRect();
        return [r.left, r.top, r.width, r.height, window.devicePixelRatio, document.querySelector('main h1').innerText];""")
    w, h, ch, rows = png_rows.decode(d.get_screenshot_as_png())
    s = r[4]
    x0, y0, x1, y1 = int(r[0] * s), int(r[1] * s), int((r[0] + r[2]) * s), int((r[1] + r[3]) * s)
    bg = rows[y0][x0 * ch:x0 * ch + 3]
    ink = sum(1 for y in range(y0, min(y1, h)) for x in range(x0, min(x1, w))
              if sum(abs(rows[y][x * ch + k] - bg[k]) for k in range(3)) > 96)
    area = max(1, (x1 - x0) * (y1 - y0))
    # The ink of the heading's text: the box spans the page's width, the
    # text a few characters of it.
    text_w = d.execute_script("""const h = document.querySelector('main h1'), g = document.createRange();
        g.selectNodeContents(h); const b = g.getBoundingClientRect(); return [b.width, b.height];""")
    text_area = max(1.0, text_w[0] * text_w[1] * s * s)
    check(CJK.search(r[5] or ""), path + ": the heading %r is not Chinese" % r[5])
    check(0.08 < ink / text_area < 0.6,
          "%s: the heading %r has %d inked pixels over its text's %d (%.2f): no glyphs drawn?"
          % (path, r[5], ink, text_area, ink / text_area))
    print("browser: %s heading %r: %d inked pixels, %.0f%% of its text's box" %
          (path, r[5], ink, 100 * ink / text_area))


def choose(lang, unit):
    """The page's switches: 中文 / English, 元 / 万元 (kept in localStorage)."""
    global LANG, UNIT
    body = lambda: d.find_element(By.TAG_NAME, "body")
    for sw, v in (("lang-switch", lang), ("unit-switch", unit)):
        before = body().get_attribute("data-frame")
        d.find_element(By.CSS_SELECTOR, '#%s button[data-value="%s"]' % (sw, v)).click()
        # The frame redrawn (its switches too), then the page drawn after it.
        wait(lambda: body().get_attribute("data-frame") != before and
             body().get_attribute("data-loaded") == "1" and
             d.find_element(By.CSS_SELECTOR, '#%s button[data-value="%s"]' % (sw, v))
             .get_attribute("class") == "here", "switch %s to %s" % (sw, v))
    LANG, UNIT = lang, unit


def rows(table_id):
    """A table's rows as {data-field: text}."""
    # In one script: the page may be redrawn (a live update) between calls.
    return d.execute_script("""
        return Array.from(document.querySelectorAll('#' + CSS.escape(arguments[0]) + ' tbody tr'),
            (tr) => Object.fromEntries(Array.from(tr.querySelectorAll('td'),
                (td) => [td.dataset.field, td.innerText.trim()])));""", table_id)


def card(container, field):
    return d.find_element(By.CSS_SELECTOR, '#%s [data-field="%s"] .v' % (container, field)).text


def suite():
    """Every page, its figures against the CLI's JSON, in LANG and UNIT."""
    # ---- the network ----------------------------------------------------------------------
    load("/network", "network")
    status = cli("node", "status")
    shown = {r["member"]: r for r in rows("feeds")}
    check(set(shown) == {f["member"] for f in status["feeds"]}, "network: the feeds")
    for f in status["feeds"]:
        r = shown.get(f["member"], {})
        wit = str(f["witnesses"]) if f["keeps_lines"] else "-"  # lines not kept here: "-"
        check(r.get("size") == str(f["size"]) and r.get("witnesses") == wit and
              r.get("state") == f["state"], "network: feed %s shows %s" % (f["member"], r))
    check(card("network-figures", "forks") == str(len(status["forks"])), "network: forks")
    check(card("network-figures", "violations") == str(len(status["violations"])), "network: violations")
    check([r["name"] for r in rows("members")] == [m["name"] for m in cli("members")], "network: members")

    # ---- programs ---------------------------------------------------------------------------
    load("/programs", "programs")
    programs = cli("programs")
    check([r["program"] for r in rows("programs")] == [p["program"] for p in programs], "programs: the list")
    for p in programs:
        load("/program/" + p["program"], "program")
        s = cli("program", "status", p["program"])
        if p["kind"] == "award":
            check([(r["year"], r["awarded"]) for r in rows("years")] ==
                  [(str(y["year"]), amount(y["awarded"])) for y in s["years"]], "program %s: years" % p["program"])
        if p["kind"] != "match":
            continue
        for k in ("deployed", "counterpart", "outstanding", "awaiting_match"):
            check(card("program-figures", k) == amount(s[k]), "program %s: %s shows %s, JSON %s" %
                  (p["program"], k, card("program-figures", k), s[k]))
        check([(r["year"], r["deployed"]) for r in rows("years")] ==
              [(str(y["year"]), amount(y["deployed"])) for y in s["years"]], "program %s: years" % p["program"])
        check([(r["project"], r["deployed"], r["cap"]) for r in rows("program-projects")] ==
              [(project_label(x["project"]), amount(x["deployed"]), amount(x["cap"])) for x in s["projects"]],
              "program %s: projects" % p["program"])
        um = cli("unmatched", "--program", p["program"])
        check([r["awaiting"] for r in rows("unmatched")] == [amount(u["awaiting"]) for u in um],
              "program %s: unmatched" % p["program"])

    # ---- projects: the figures, and a name that is markup shown as text -------------------------
    load("/projects", "projects")
    projects = cli("projects")
    check([(r["project"], r["name"], r["net"]) for r in rows("projects")] ==
          [(p["project"], p["name"], amount(p["net"])) for p in projects], "projects: the table")
    check(any(r["name"] == HOSTILE for r in rows("projects")), "projects: the hostile name as text")
    check(any(r["name"] == CHINESE_NAME for r in rows("projects")), "projects: a Chinese name as it is")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in d.find_element(By.ID, "main").get_attribute("innerHTML"),
          "projects: the hostile name escaped in the document")

    # ---- positions ------------------------------------------------------------------------------
    load("/positions", "positions")
    pos = [r for r in cli("positions") if r["kind"] == "equity"]
    for project in sorted({r["project"] for r in pos}):
        want = [(member_label(r["holder"]), amount(r["net"]), r["share"]) for r in pos if r["project"] == project]
        got = [(r["holder"], r["net"], r["share"]) for r in rows("cap-" + project)]
        check(got == want, "positions: cap table of %s: %s, JSON %s" % (project, got, want))
    main = d.find_element(By.ID, "main").text
    check(HOSTILE in main, "positions: the hostile name as text")
    # Display names where people read: a Chinese project name beside its id, a member's Chinese
    # display name in the cap tables and as a portfolio's heading.
    check(project_label("robot") in main and CHINESE_NAME in project_label("robot"),
          "positions: the Chinese project %s" % project_label("robot"))
    check(any(r["holder"] == MEMBER_DISPLAY for r in rows("cap-robotics")),
          "positions: the member's display name %s" % MEMBER_DISPLAY)
    check(project_label("robot") in [r["project"] for r in rows("portfolio-team")],
          "positions: team's portfolio names robot with its display name")

    # ---- pools, leases, awards, register --------------------------------------------------------------
    load("/pools", "pools")
    for p in json.loads(urllib.request.urlopen(URL + "/api/pools").read()):
        s = cli("pool", "status", p["program"])
        for k in ("balance", "headroom", "outstanding"):
            check(card("pool-" + p["program"], k) == amount(s[k]), "pool %s: %s" % (p["program"], k))
    load("/leases", "leases")
    check(len(rows("leases")) == len(cli("leases")), "leases: the rows")
    load("/awards", "awards")
    awards = cli("register", "--type", "award")
    check([(r["project"], r["amount"]) for r in rows("awards")] ==
          [(project_label(a["project"]), amount(a["amount"])) for a in awards], "awards: the rows")
    load("/register", "register")
    reg = cli("register", "--last", "1000")
    got = rows("register")
    check([(r["member"], r["index"], r["amount"]) for r in got] ==
          [(e["member"], str(e["index"]), amount(e["amount"])) for e in reg], "register: the rows")
    check([r["time"] for r in got] == [when(e["time"]) for e in reg], "register: the times (%s)" % got[0]["time"])
    link = d.find_element(By.CSS_SELECTOR, '#register tbody tr [data-field="proof"] a')
    first = reg[0]
    proof = urllib.request.urlopen(link.get_attribute("href")).read().decode()
    want = subprocess.run([BIN, "--home", HOME, "proof", "inclusion", "%s:%d" % (first["member"], first["index"])],
                          check=True, capture_output=True, text=True).stdout
    check(proof == want, "register: the first entry's proof download")
    check(link.get_attribute("download") == "%s-%d.tlog-proof" % (first["member"], first["index"]),
          "register: the proof is a download")


d.get(URL + "/network")
wait(lambda: d.find_element(By.TAG_NAME, "body").get_attribute("data-loaded") == "1", "the first page")
for lang, unit in (("en", "yuan"), ("zh", "wan"), ("zh", "yuan"), ("en", "wan")):
    choose(lang, unit)
    suite()
    print("browser: every page in %s, %s" % (lang, unit))
    if lang == "zh":
        check_glyphs("/programs")
choose("en", "yuan")

# ---- live: an entry appended while the page is open shows up ----------------------------------
load("/projects", "projects")
subprocess.run([BIN, "--home", HOME, "project", "add", "late", "--name", "Late Ltd."], check=True,
               capture_output=True)
wait(lambda: any(r.get("project") == "late" for r in rows("projects")), "live update of /projects")
load("/network", "network")
d.quit()
if failures:
    sys.exit(1)
print("browser: %d pages checked, screenshots in %s" % (len(os.listdir(SHOTS)), SHOTS))
