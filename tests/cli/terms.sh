#!/usr/bin/env bash
# terms.sh — governance corrects and changes its own records (issue 13 item 2,
# docs/rules.md "Governance corrections"): a budget amended mid-year with
# entries before and after; a cap lowered below what is matched (the next
# match refused, the past ones stand); an entry judged by the terms as of its
# gov; a program closed (one millisecond after: refused, at the closing ms:
# accepted); display names corrected; the network's sanity bound at the limit
# and one fen over. Every home and the audit agree.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit_lib.sh"

network fund:fund inv:investor team:team
cf city program add inc --counterpart team --window-days 3650 --annual-budget 1,000,000 \
    --project-cap 2,000,000 --start 2025-01-01 --operator fund >/dev/null
cf city program add old --counterpart investor --window-days 3650 --start 2025-01-01 \
    --operator fund >/dev/null
carry city fund inv team
m() { # m TIME AMOUNT — the fund matches team#0 under inc in sensors
    cf fund match --program inc --project sensors --round A --cite "team:0=$2" --time "$1"
}

# ---- a budget amended mid-year ----------------------------------------------------
cf team contribute --project sensors --round A --amount 5,000,000 --program inc \
    --time 2025-03-01T10:00+08:00 >/dev/null
carry team fund
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=600,000 --time 2025-03-02
expect_exit 0 city program amend inc --from 2025-07-01 --annual-budget 800,000
expect_in "$OUT" "program inc amended at governance entry [0-9]*: from 2025-07-01T00:00:00.000+08:00, annual budget 800,000.00"
carry city fund
# Before the amendment's date the old budget holds (600,000 + 300,000 <= 1,000,000) ...
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=300,000 --time 2025-06-15
# ... from it, the new one: 900,000.01 > 800,000.
expect_exit 1 fund match --program inc --project sensors --round A --cite team:0=0.01 --time 2025-07-01
expect_in "$OUT" "rejected by R-BUDGET: .*800,000.00"
# The next year, the amended budget: 800,000 exactly, then one fen over.
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=800,000 --time 2026-01-05
expect_exit 1 fund match --program inc --project sensors --round A --cite team:0=0.01 --time 2026-01-06
expect_in "$OUT" "rejected by R-BUDGET"

# ---- a cap lowered below what is matched: the past stands, the next is refused ----
expect_exit 0 city program amend inc --from 2026-02-01 --project-cap 1,500,000 --annual-budget 5,000,000
carry city fund
expect_exit 1 fund match --program inc --project sensors --round A --cite team:0=0.01 --time 2026-02-02
expect_in "$OUT" "rejected by R-CAP: .*cap of 1,500,000.00 in project sensors (1,700,000.00 already matched)"
expect_in "$(cf fund program status inc)" "deployed  *1,700,000.00"

# ---- the terms as of the entry's gov ------------------------------------------------
# The city raises the cap from March; the fund has not read it: its home judges
# the match by the terms its gov counts (the lowered cap), as every home would.
expect_exit 0 city program amend inc --from 2026-03-01 --project-cap 3,000,000
expect_exit 1 fund match --program inc --project sensors --round A --cite team:0=100,000 --time 2026-03-02
expect_in "$OUT" "rejected by R-CAP"
carry city fund
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=100,000 --time 2026-03-02
status=$(cf fund program status inc)
expect_in "$status" "terms' history"
expect_in "$status" "from 2025-07-01T00:00:00.000+08:00: annual budget 800,000.00 (governance entry"
expect_in "$status" "from 2026-03-01T00:00:00.000+08:00: cap 3,000,000.00 per project (governance entry"
expect_in "$status" "cap 3,000,000.00 per project, budget 5,000,000.00 per year"
expect_in "$(cf fund program status inc --format json)" '"terms_history"'
# ---- a cap and a budget removed from a date -------------------------------------------
# 1,800,000 matched in sensors, 900,000 in 2026: a match of 1,200,000.01 is over the
# cap before 2026-04-01 and fine from it, when the amendment removes both limits.
expect_exit 0 city program amend inc --from 2026-04-01 --project-cap none --annual-budget none
expect_in "$OUT" "from 2026-04-01T00:00:00.000+08:00, no cap per project, no annual budget"
expect_exit 2 city program amend inc --from 2026-04-01 --size none
expect_in "$OUT" "a pool keeps a size"
carry city fund
expect_exit 1 fund match --program inc --project sensors --round A --cite team:0=1,200,000.01 --time 2026-03-31T23:59:59.999+08:00
expect_in "$OUT" "rejected by R-CAP"
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=1,200,000.01 --time 2026-04-01
status=$(cf fund program status inc)
expect_in "$status" "from 2026-04-01T00:00:00.000+08:00: no cap per project, no annual budget (governance entry"
expect_in "$(cf fund show city:$(($(feed_size fund city) - 1)) --format json)" '"cap": null'
# Each year's row shows the budget in force at its end: 2025 the amended 800,000
# (the match of June stood under the 1,000,000 of then), 2026 none, and as of
# 2026-03-15 the 5,000,000 in force then.
csv=$(cf fund program status inc --format csv)
expect_in "$csv" "^year,2025,900000.00,800000.00,1.1250,0.00,"
expect_in "$csv" "^year,2026,2100000.01,,,,"
expect_in "$(cf fund program status inc --as-of 2026-03-15)" "^2026  *900,000.00  *18.00%  *4,100,000.00"
expect_in "$(cf fund program status inc --as-of 2026-03-15 --format json)" '"budget": "5000000.00"'
# R-AMEND.1: a term the kind does not have; no term at all.
expect_exit 1 city program amend inc --from 2026-03-01 --leverage 5
expect_in "$OUT" "rejected by R-AMEND.1: program inc is a match program: it has no term leverage"
expect_exit 1 city program amend inc --from 2026-03-01
expect_in "$OUT" "rejected by R-AMEND.1: the amendment of program inc states no term"

# ---- a program closed ---------------------------------------------------------------
CLOSE="2026-06-30T12:00:00.000+08:00"
ONE_MS_AFTER="2026-06-30T12:00:00.001+08:00"
cf inv contribute --project robotics --round A --amount 100,000 --program old --time "$CLOSE" >/dev/null
expect_exit 0 city program close old --at "$CLOSE"
expect_in "$OUT" "program old closed at governance entry [0-9]*: nothing new dated after $CLOSE"
carry city inv fund
expect_exit 1 inv contribute --project robotics --round A --amount 1 --program old --time "$ONE_MS_AFTER"
expect_in "$OUT" "rejected by R-CLOSE.2: program old closed at $CLOSE: a contribution dated $ONE_MS_AFTER is after it"
expect_exit 0 inv contribute --project robotics --round A --amount 1 --program old --time "$CLOSE"
# a contribution naming no program is not under it
expect_exit 0 inv contribute --project robotics --round A --amount 1 --time "$ONE_MS_AFTER"
carry inv fund
expect_exit 1 fund match --program old --project robotics --round A --cite inv:0=100 --time "$ONE_MS_AFTER"
expect_in "$OUT" "rejected by R-CLOSE.2: program old closed at $CLOSE: a match dated $ONE_MS_AFTER"
expect_exit 0 fund match --program old --project robotics --round A --cite inv:0=100 --time "$CLOSE"
expect_exit 1 city program close old --at 2026-12-31
expect_in "$OUT" "rejected by R-CLOSE.1: program old is already closed (at $CLOSE)"
expect_exit 1 city program amend old --from 2026-07-01 --ratio 1:2
expect_in "$OUT" "rejected by R-AMEND.2: program old is closed"
expect_in "$(cf city program status old)" "closed: nothing new dated after $CLOSE"

# ---- display names ------------------------------------------------------------------
expect_exit 0 city project rename robotics --name "Robotics Co., Ltd."
expect_exit 1 city project rename robotics --name "Robotics Co., Ltd."
expect_in "$OUT" "rejected by R-RENAME: project robotics is already named \"Robotics Co., Ltd.\""
expect_exit 0 city network rename --name "Test network (corrected)"
expect_exit 1 city network rename --name "Test network (corrected)"
expect_in "$OUT" "rejected by R-RENAME: the network is already named"
expect_in "$(cf city log city)" "project robotics renamed \"Robotics Co., Ltd.\""

# ---- the network's sanity bound -------------------------------------------------------
expect_exit 1 city network bound --amount 9,999.99
expect_in "$OUT" "rejected by R-BOUND: a sanity bound of 9,999.99 is below 10,000.00"
expect_exit 0 city network bound --amount 5,000,000
carry city inv fund team
expect_exit 2 inv contribute --project sensors --round B --amount 5,000,000.01
expect_in "$OUT" "contribution of 5,000,000.01 is above the network's sanity bound of 5,000,000.00"
expect_exit 0 inv contribute --project sensors --round B --amount 5,000,000.00
expect_exit 0 inv contribute --project sensors --round B --amount 5,000,000.01 --yes

# ---- every home agrees, in any order, and so does the audit -------------------------------
carry inv city
carry fund city
carry team city
cf late init --name late >/dev/null
cf late join "$T/city.bundle" >/dev/null
cf fund export --out "$T/fund-first.bundle" >/dev/null
cf late import "$T/fund-first.bundle" >/dev/null 2>&1 || true # waits for governance and the others
for who in team inv city; do cf "$who" export --out "$T/$who-x.bundle" >/dev/null; cf late import "$T/$who-x.bundle" >/dev/null; done
for p in inc old; do
    same_file <(cf city program status "$p" --format json) <(cf late program status "$p" --format json) \
        "program status $p at a home that learned the feeds in another order"
done
same_file <(cf city positions --format csv) <(cf late positions --format csv) "positions"
expect_in "$(cf late program status old)" "closed"
cf city export --out "$T/net.bundle" >/dev/null
expect_audit 0 "$T/net.bundle"
expect_in "$OUT" "^result: ok"
echo ok
