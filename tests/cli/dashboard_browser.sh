#!/usr/bin/env bash
# dashboard_browser.sh — the dashboard in a real browser (issue 15 part 2):
# headless Chromium, driven by chromium-driver and python3-selenium, loads
# every page of a small network, checks the figures shown equal the CLI's
# JSON, that a project named <script>alert(1)</script> shows as text, that
# the console holds no error (a Content-Security-Policy violation is one),
# a proof download and a live update; saves a screenshot of each page (into
# $COFUND_SCREENSHOTS when set: scripts/screenshot-dashboard). Skipped (77)
# when Chromium or Selenium is missing.
source "$(dirname "$0")/node_lib.sh"
source "$(dirname "$0")/dashboard_lib.sh"
PY=$(python_with selenium)
[ -n "$PY" ] || { echo "python3-selenium is missing: skipped"; exit 77; }
{ command -v chromium || [ -x /usr/bin/chromium ]; } >/dev/null &&
    [ -x /usr/bin/chromedriver ] || { echo "chromium or chromium-driver is missing: skipped"; exit 77; }

dashboard_network
dashboard_start city
SHOTS=${COFUND_SCREENSHOTS:-$T/screenshots}
mkdir -p "$SHOTS"
rc=0
DEADLINE_S=$DEADLINE_S "$PY" "$COFUND_TESTS/cli/dashboard_browser.py" "$URL" "$T/city" "$SHOTS" || rc=$?
[ "$rc" -eq 0 ] || { [ "$rc" -eq 77 ] && exit 77; fail "the browser test (status $rc)"; }
stop_node city
