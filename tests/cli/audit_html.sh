#!/usr/bin/env bash
# audit_html.sh — cofund-audit --html FILE: one self-contained, printable
# HTML file that says what the JSON report says. Checked with Python's
# html.parser: well formed; nothing fetched (no src, no href to anything, a
# Content-Security-Policy of default-src 'none'); every figure of the JSON
# report's programs and positions in it; a project named with markup shown
# as text, never as markup; the verdict of a tampered bundle is FAILED. The
# same in Chinese (--lang zh: <html lang="zh-CN">), and headless Chromium
# draws the Chinese page's headings as glyphs, not boxes
# (audit_html_shot.py, which saves its screenshot; skipped without Chromium).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

build_network
# A display name with markup (the network's: the report names it).
cf city network rename --name '<script>alert(1)</script> & "co"' >/dev/null
cf city export --out "$T/net.bundle" >/dev/null
"$COFUND_AUDIT" "$T/net.bundle" --html "$T/report.html" >"$T/report.txt" ||
    fail "cofund-audit --html"
"$COFUND_AUDIT" "$T/net.bundle" --lang zh --html "$T/report-zh.html" >/dev/null ||
    fail "cofund-audit --lang zh --html"
"$COFUND_AUDIT" "$T/net.bundle" --format json >"$T/report.json"
for lang in en zh; do
html=$T/report.html
[ "$lang" = en ] || html=$T/report-$lang.html
python3 - "$html" "$T/report.json" "$lang" <<'PY' || fail "the HTML report ($lang)"
import json, sys
from html.parser import HTMLParser

html = open(sys.argv[1], encoding="utf-8").read()
report = json.load(open(sys.argv[2]))

class Check(HTMLParser):
    VOID = {"meta", "br", "rect"}
    def __init__(self):
        super().__init__()
        self.stack, self.text, self.csp, self.bad = [], [], None, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" or "src" in a or "href" in a or any(k.startswith("on") for k in a):
            self.bad.append((tag, attrs))
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        if tag not in self.VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-4:])
        self.stack.pop()
    def handle_data(self, data):
        self.text.append(data)

p = Check()
p.feed(html)
p.close()
assert not p.stack, p.stack
assert not p.bad, p.bad
assert p.csp and "default-src 'none'" in p.csp, p.csp
text = "".join(p.text)
# The markup in the network's name is text.
assert '<script>alert(1)</script> & "co"' not in html
assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;' in html
# What was audited, and the figures, as the JSON says.
for key in ("bundle_sha256", "tool"):  # (audited_at: each run's own time)
    assert report[key] in text, key
for pg in report["programs"]:
    assert pg["program"] in text
    for year in pg.get("years", []):
        for v in year.values():
            if isinstance(v, str):
                assert v in text, (pg["program"], v)
for pos in report["positions"]:
    for v in pos.values():
        if isinstance(v, str):
            assert v in text, v
for f in report["feeds"]:
    assert f["checkpoint"]["root"] in text
verdict = {"en": "ok: every signature, root and rule holds",
           "zh": "正常：所有签名、根哈希和规则均成立"}[sys.argv[3]]
assert verdict in text, verdict
assert ('<html lang="%s">' % {"en": "en", "zh": "zh-CN"}[sys.argv[3]]) in html
PY
done
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then
    python3 "$COFUND_TESTS/cli/audit_html_shot.py" "$T/report-zh.html" "$T/report-zh.png" \
        审计报告 审计对象 持仓 资金计划 || fail "Chromium's rendering of the Chinese report"
else
    echo "no Chromium: the rendering of the Chinese report is not checked"
fi
# A tampered bundle: the page says FAILED and why.
edit list "$T/net.bundle" >"$T/records"
rec=$(awk '$2 == "E" {n++} $2 == "E" && n == 10 {print $1}' "$T/records")
edit xor "$T/net.bundle" "$T/bad.bundle" "$rec" 25
expect_audit 1 "$T/bad.bundle" --html "$T/bad.html"
grep -q 'class="verdict failed">FAILED: ' "$T/bad.html" || fail "the tampered bundle's page"
expect_audit 4 "$T/net.bundle" --html "$T/no/such/dir/report.html"
expect_in "$OUT" "cannot write the HTML report"
echo ok
