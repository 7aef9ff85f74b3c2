"""dashboard_browser.py URL HOME SHOTS — drive headless Chromium over every
page of the dashboard at URL (the node of HOME) and check what it shows
against the CLI's JSON for HOME (cofund --home HOME QUERY --format json):
the figures, the escaping of a member-supplied name, no error in the
console (a Content-Security-Policy violation is one), a proof download, a
live update; saves a screenshot of each page into SHOTS. Exits 77 when
Selenium or Chromium is missing."""
import json
import os
import subprocess
import sys
import time
import urllib.request

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:
    print("python3-selenium is missing: skipped")
    sys.exit(77)

URL, HOME, SHOTS = sys.argv[1:4]
BIN = os.environ["COFUND_BIN"]
DEADLINE_S = float(os.environ.get("DEADLINE_S", "40"))
HOSTILE = "<script>alert(1)</script>"


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
        v = cond()
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
    d.save_screenshot(os.path.join(SHOTS, (path.strip("/").replace("/", "-") or "network") + ".png"))


def rows(table_id):
    """A table's rows as {data-field: text}."""
    # In one script: the page may be redrawn (a live update) between calls.
    return d.execute_script("""
        return Array.from(document.querySelectorAll('#' + CSS.escape(arguments[0]) + ' tbody tr'),
            (tr) => Object.fromEntries(Array.from(tr.querySelectorAll('td'),
                (td) => [td.dataset.field, td.innerText.trim()])));""", table_id)


def card(container, field):
    return d.find_element(By.CSS_SELECTOR, '#%s [data-field="%s"] .v' % (container, field)).text


# ---- the network ----------------------------------------------------------------------
load("/network", "network")
status = cli("node", "status")
shown = {r["member"]: r for r in rows("feeds")}
check(set(shown) == {f["member"] for f in status["feeds"]}, "network: the feeds")
for f in status["feeds"]:
    r = shown.get(f["member"], {})
    check(r.get("size") == str(f["size"]) and r.get("witnesses") == str(f["witnesses"]) and
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
              [(str(y["year"]), money(y["awarded"])) for y in s["years"]], "program %s: years" % p["program"])
    if p["kind"] != "match":
        continue
    for k in ("deployed", "counterpart", "outstanding", "awaiting_match"):
        check(card("program-figures", k) == money(s[k]), "program %s: %s shows %s, JSON %s" %
              (p["program"], k, card("program-figures", k), s[k]))
    check([(r["year"], r["deployed"]) for r in rows("years")] ==
          [(str(y["year"]), money(y["deployed"])) for y in s["years"]], "program %s: years" % p["program"])
    check([(r["project"], r["deployed"], r["cap"]) for r in rows("program-projects")] ==
          [(x["project"], money(x["deployed"]), money(x["cap"])) for x in s["projects"]],
          "program %s: projects" % p["program"])
    um = cli("unmatched", "--program", p["program"])
    check([r["awaiting"] for r in rows("unmatched")] == [money(u["awaiting"]) for u in um],
          "program %s: unmatched" % p["program"])

# ---- projects: the figures, and a name that is markup shown as text -------------------------
load("/projects", "projects")
projects = cli("projects")
check([(r["project"], r["name"], r["net"]) for r in rows("projects")] ==
      [(p["project"], p["name"], money(p["net"])) for p in projects], "projects: the table")
check(any(r["name"] == HOSTILE for r in rows("projects")), "projects: the hostile name as text")
check("&lt;script&gt;alert(1)&lt;/script&gt;" in d.find_element(By.ID, "main").get_attribute("innerHTML"),
      "projects: the hostile name escaped in the document")

# ---- positions ------------------------------------------------------------------------------
load("/positions", "positions")
pos = [r for r in cli("positions") if r["kind"] == "equity"]
for project in sorted({r["project"] for r in pos}):
    want = [(r["holder"]["name"], money(r["net"]), r["share"]) for r in pos if r["project"] == project]
    got = [(r["holder"], r["net"], r["share"]) for r in rows("cap-" + project)]
    check(got == want, "positions: cap table of %s: %s, JSON %s" % (project, got, want))
check(HOSTILE in d.find_element(By.ID, "main").text, "positions: the hostile name as text")

# ---- pools, leases, awards, register --------------------------------------------------------------
load("/pools", "pools")
for p in json.loads(urllib.request.urlopen(URL + "/api/pools").read()):
    s = cli("pool", "status", p["program"])
    for k in ("balance", "headroom", "outstanding"):
        check(card("pool-" + p["program"], k) == money(s[k]), "pool %s: %s" % (p["program"], k))
load("/leases", "leases")
check(len(rows("leases")) == len(cli("leases")), "leases: the rows")
load("/awards", "awards")
awards = cli("register", "--type", "award")
check([(r["project"], r["amount"]) for r in rows("awards")] ==
      [(a["project"], money(a["amount"])) for a in awards], "awards: the rows")
load("/register", "register")
reg = cli("register", "--last", "1000")
got = rows("register")
check([(r["member"], r["index"], r["amount"]) for r in got] ==
      [(e["member"], str(e["index"]), money(e["amount"])) for e in reg], "register: the rows")
link = d.find_element(By.CSS_SELECTOR, '#register tbody tr [data-field="proof"] a')
first = reg[0]
proof = urllib.request.urlopen(link.get_attribute("href")).read().decode()
want = subprocess.run([BIN, "--home", HOME, "proof", "inclusion", "%s:%d" % (first["member"], first["index"])],
                      check=True, capture_output=True, text=True).stdout
check(proof == want, "register: the first entry's proof download")
check(link.get_attribute("download") == "%s-%d.tlog-proof" % (first["member"], first["index"]),
      "register: the proof is a download")

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
