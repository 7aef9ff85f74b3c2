#!/usr/bin/env bash
# i18n_rules.sh — the rules' and the library's messages in Chinese (issue 18):
# a rejection by R-MATCH.4, R-MATCH.3, R-CAP, R-BUDGET and R-ROLE reads in
# Chinese under --lang zh (and under LANG=zh_CN.UTF-8), keeps its rule ID,
# its figures and the identifiers it names (member, program, role and entry
# type names stay English), and exits 1 as in English; the English messages
# are unchanged; the pieces a rule splices in (match, the cap, the year's
# budget) are Chinese too; a configuration error of the node reads in Chinese
# and exits 3; JSON is the same bytes in both languages.
source "$(dirname "$0")/lib.sh"

network fund:fund inv:investor team:team
cf city program add inc --counterpart team --window-days 30 --annual-budget 1,000,000 \
    --project-cap 800,000 --start 2025-01-01 --operator fund >/dev/null 2>&1
carry city fund inv team
cf inv contribute --project robotics --round A --amount 1,000,000 --program industrial >/dev/null 2>&1
cf team contribute --project sensors --round A --amount 5,000,000 --program inc \
    --time 2026-03-01T10:00+08:00 >/dev/null 2>&1
cf team contribute --project robotics --round B --amount 5,000,000 --program inc \
    --time 2026-03-03T10:00+08:00 >/dev/null 2>&1
carry inv fund
carry team fund

# both LANG ARGS... — the command's output in LANG (en, zh) in $OUT; exit 1 required
both() {
    local lang=$1
    shift
    expect_exit 1 fund --lang "$lang" "$@"
}

# ---- R-MATCH.4: over the ratio ----------------------------------------------------
over_ratio=(match --program industrial --project robotics --round A --cite inv:0=1,000,000.01)
both en "${over_ratio[@]}"
expect_in "$OUT" "rejected by R-MATCH.4: match 1,000,000.01 exceeds 1:1 × unmatched 1,000,000.00 of contribution inv#0"
both zh "${over_ratio[@]}"
expect_in "$OUT" "被 R-MATCH.4 拒绝：跟投 1,000,000.01 超过了配比 1:1 × 出资 inv#0 中未跟投的 1,000,000.00"
grep -q "rejected by" <<<"$OUT" && fail "English left in a Chinese rejection: $OUT"
# The locale asks for Chinese when --lang does not.
rc=0
OUT=$(env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$COFUND_BIN" --home "$T/fund" \
    "${over_ratio[@]}" 2>&1) || rc=$?
[ "$rc" = 1 ] || fail "LANG=zh_CN.UTF-8: exit $rc: $OUT"
expect_in "$OUT" "被 R-MATCH.4 拒绝：跟投 1,000,000.01 超过了配比 1:1"

# ---- R-MATCH.3: past the window ------------------------------------------------------
late=(match --program inc --project sensors --round A --cite team:0=1 --time 2026-05-02)
both en "${late[@]}"
expect_in "$OUT" "rejected by R-MATCH.3: match time 2026-05-02T00:00:00.000+08:00 is more than 30 days after contribution team#0 (2026-03-01T10:00:00.000+08:00)"
both zh "${late[@]}"
expect_in "$OUT" "被 R-MATCH.3 拒绝：跟投时间 2026-05-02T00:00:00.000+08:00 比出资 team#0（2026-03-01T10:00:00.000+08:00）晚了 30 天以上"

# ---- R-CAP: over the cap per project -------------------------------------------------
over_cap=(match --program inc --project sensors --round A --cite team:0=800,000.01 --time 2026-03-02)
both en "${over_cap[@]}"
expect_in "$OUT" "rejected by R-CAP: match 800,000.01 would take program inc over its cap of 800,000.00 in project sensors (0.00 already matched)"
both zh "${over_cap[@]}"
expect_in "$OUT" "被 R-CAP 拒绝：跟投 800,000.01 将使资金计划 inc 超出其项目 sensors 的单个项目上限 800,000.00（已跟投 0.00）"

# ---- R-BUDGET: over the year's budget ------------------------------------------------
expect_exit 0 fund match --program inc --project sensors --round A --cite team:0=500,000 --time 2026-03-02
over_budget=(match --program inc --project robotics --round B --cite team:1=500,000.01 --time 2026-03-04)
both en "${over_budget[@]}"
expect_in "$OUT" "rejected by R-BUDGET: match 500,000.01 would take program inc over its annual budget of 1,000,000.00 for 2026 (500,000.00 already matched)"
both zh "${over_budget[@]}"
expect_in "$OUT" "被 R-BUDGET 拒绝：跟投 500,000.01 将使资金计划 inc 超出其2026 年的年度预算 1,000,000.00（已跟投 500,000.00）"
# Exactly the budget is accepted in either language.
expect_exit 0 fund --lang zh match --program inc --project robotics --round B --cite team:1=500,000 --time 2026-03-04

# ---- R-ROLE: identifiers stay English inside the Chinese --------------------------
expect_exit 1 inv --lang zh match --program industrial --project robotics --round A --cite inv:0=1
expect_in "$OUT" "被 R-ROLE 拒绝：investor inv 不得写入 match 记录"

# ---- JSON is the same bytes in both languages ----------------------------------------
cf fund --lang en program status inc --format json >"$T/en.json"
cf fund --lang zh program status inc --format json >"$T/zh.json"
cmp -s "$T/en.json" "$T/zh.json" || fail "program status JSON differs between en and zh"

# ---- the node's configuration, in Chinese ------------------------------------------
# A bad address: the same exit code in both languages.
printf 'listen 127.0.0.1:99999\n' >"$T/fund/config"
rc_en=0 rc_zh=0
EN=$(cf fund --lang en node run 2>&1) || rc_en=$?
ZH=$(cf fund --lang zh node run 2>&1) || rc_zh=$?
[ "$rc_en" != 0 ] && [ "$rc_en" = "$rc_zh" ] || fail "a bad listen address: exit $rc_en in English, $rc_zh in Chinese"
expect_in "$EN" "config:1: \"127.0.0.1:99999\": port must be 1-65535"
expect_in "$ZH" "config:1: \"127.0.0.1:99999\"：端口必须在 1-65535 之间"
printf 'log-level loud\n' >"$T/fund/config"
expect_exit 3 fund --lang en node run
expect_in "$OUT" "config:1: log-level: debug, info, warn or error"
expect_exit 3 fund --lang zh node run
expect_in "$OUT" "config:1: log-level：应为 debug、info、warn 或 error"
printf 'colour blue\n' >"$T/fund/config"
expect_exit 3 fund --lang zh node run
expect_in "$OUT" "config:1: 未知设置 \"colour\""
echo "i18n_rules: ok"
