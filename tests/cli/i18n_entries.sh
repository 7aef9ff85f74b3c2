#!/usr/bin/env bash
# i18n_entries.sh — the commands that write entries in Chinese (issue 18,
# docs/i18n.md): the listing and a command's help wrapped by display width
# (no line wider than 80 columns, none starting with closing punctuation),
# an append's message, a match plan, a dry run, a usage error and a refusal
# in Chinese with their rule IDs; the language from --lang, LANG and the
# home's config (--lang overriding it); --lang xx a usage error; amounts in
# sentences in --unit wan exactly the yuan figures / 10,000; what machines
# read (JSON, CSV) the same whatever the language and the unit.
source "$(dirname "$0")/lib.sh"
network fund:fund inv:investor

# widths FILE — fail when a line of FILE is wider than 80 columns (a CJK
# character takes two) or starts with punctuation that closes (，。）…)
widths() {
    python3 - "$1" <<'EOF' || fail "$(cat "$1")"
import sys, unicodedata
bad = 0
for n, line in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\n"), 1):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w > 80:
        print(f"line {n} is {w} columns wide: {line}", file=sys.stderr); bad = 1
    if line.lstrip()[:1] in set("，。、；：）」』！？"):
        print(f"line {n} starts with closing punctuation: {line}", file=sys.stderr); bad = 1
sys.exit(bad)
EOF
}

# ---- help ----------------------------------------------------------------------------
cf inv --lang zh help >"$T/help.zh"
widths "$T/help.zh"
H=$(cat "$T/help.zh")
expect_in "$H" "^用法：cofund "
expect_in "$H" "^账本与网络："
expect_in "$H" "^  contribute  *社会资本方或孵化团队记录投入项目的出资$"
expect_in "$H" "^  match  *资金计划的运营方依据所引用的出资进行跟投$"
expect_in "$H" "^退出码：0 成功"
# command names stay English: the listing still parses as commands
expect_in "$H" "^  program add  "

cf inv --lang zh contribute --help >"$T/contribute.zh"
widths "$T/contribute.zh"
C=$(cat "$T/contribute.zh")
expect_in "$C" "^用法：cofund contribute --project P --round R --amount AMT"
expect_in "$C" "^选项："
expect_in "$C" "^  --amount AMT  *元：300000、300,000.00 或 30万（必填）$"
expect_in "$C" "^  --dry-run  *按规则检查并显示该记录；不写入任何内容$"
expect_in "$C" "^示例："
cf inv --lang zh match --help >"$T/match.zh"
widths "$T/match.zh"
# English help wraps the same way: by columns, no line over 80
cf inv contribute --help >"$T/contribute.en"
widths "$T/contribute.en"
expect_in "$(cat "$T/contribute.en")" "^usage: cofund contribute --project P"

# LANG alone (no zh_CN locale needs to be generated); LC_ALL comes first
OUT=$(env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 "$COFUND_BIN" --home "$T/inv" help)
expect_in "$OUT" "^账本与网络："
OUT=$(env -u LANGUAGE LC_ALL=C LANG=zh_CN.UTF-8 "$COFUND_BIN" --home "$T/inv" help)
expect_in "$OUT" "^homes and the network:"

# ---- --lang xx and a usage error in Chinese --------------------------------------------
expect_exit 2 inv --lang xx whoami
expect_in "$OUT" "--lang xx: expected zh or en"
expect_exit 2 inv --lang zh contribute --project robotics --amount 100
expect_in "$OUT" "^cofund contribute: 需要 --round R$"
expect_in "$OUT" "^用法：cofund contribute --project P"
expect_exit 2 inv --lang zh contribute --project robotics --round A --amount lots
expect_in "$OUT" "^cofund contribute: “lots”不是金额（例如 300000、300,000.00 或 30万）$"

# ---- appends in Chinese ------------------------------------------------------------------
expect_exit 0 inv --lang zh contribute --project robotics --round A --amount 1,000,000 \
    --program industrial
expect_in "$OUT" "^出资 1,000,000.00 元已记为 inv#0$"
expect_exit 0 inv --lang zh --unit wan contribute --project robotics --round A --amount 250,000 \
    --program industrial
expect_in "$OUT" "^出资 25.00 万元已记为 inv#1$"
expect_exit 0 inv --lang en --unit wan exit --project robotics --amount 12,345.67
expect_in "$OUT" "^exit of 1.234567 10k yuan appended as inv#2$"
expect_exit 2 inv --lang zh reverse fund:0 --reason typo
expect_in "$OUT" "^cofund reverse: fund:0 不是本账本的记录：只有记录的作者本人才能冲正它（R-REVERSE.1）$"
expect_exit 0 inv --lang zh --unit wan reverse inv:2 --reason typo
expect_in "$OUT" "^冲正退出 inv#2（1.234567 万元）已记为 inv#3$"
carry inv fund

# a dry run, then the match: the plan in Chinese, its rule IDs kept
expect_exit 0 fund --lang zh match --program industrial --project robotics --round A \
    --auto 1,250,000 --dry-run
expect_in "$OUT" "^资金计划 industrial 在项目 robotics 轮次 A 的跟投计划：$"
expect_in "$OUT" "^  引用 inv#0  分配 1,000,000.00$"
expect_in "$OUT" "^  合计 1,250,000.00$"
expect_in "$OUT" "（R-MATCH.3、R-MATCH.4、R-MATCH.6）$"
expect_in "$OUT" "^试运行：.* 将记为 fund#[0-9]*；规则接受该记录；未写入任何内容$"
# in wan the figures are the yuan ones / 10,000 (and name their unit)
expect_exit 0 fund --lang zh --unit wan match --program industrial --project robotics \
    --round A --auto 1,250,000 --dry-run
expect_in "$OUT" "^  引用 inv#0  分配 100.00万元$"
expect_in "$OUT" "^  引用 inv#1  分配 25.00万元$"
expect_in "$OUT" "^  合计 125.00万元$"
expect_exit 0 fund --lang zh match --program industrial --project robotics --round A \
    --auto 1,250,000
expect_in "$OUT" "^跟投已记为 fund#[0-9]*$"
expect_in "$OUT" "^  受限于所申请的金额$"

# refusals in Chinese keep the rule's ID
expect_exit 1 fund --lang zh match --program industrial --project robotics --round A --auto 1
expect_in "$OUT" "^cofund match: --auto 1.00：目前在 robotics 轮次 A 最多可跟投 0.00，受限于 R-MATCH"
expect_exit 2 inv --lang zh contribute --project robotics --round A --amount 2,000,000,000
expect_in "$OUT" "出资金额 2,000,000,000.00 超过金额警戒线 1,000,000,000.00：是否多写了几个零？"
expect_exit 1 city --lang zh member add --key "$(key_of inv)" --role team --name inv2
expect_in "$OUT" "^cofund member add: .*R-UNIQ"

# governance entries
expect_exit 0 city --lang zh program amend incubation --from 2026-01-01 --annual-budget 4,000,000
expect_in "$OUT" "^资金计划 incubation 已在治理记录 [0-9]* 修订：自 2026-01-01T00:00:00.000+08:00 起，"
expect_exit 0 city --lang zh project rename robotics --name "机器人产线"
expect_in "$OUT" "^项目 robotics 已在治理记录 [0-9]* 更名为“机器人产线”$"
expect_exit 0 city --lang zh network bound --amount 50,000,000
expect_in "$OUT" "^自治理记录 [0-9]* 起，网络的金额警戒线为 50,000,000.00$"
carry city inv
expect_exit 2 inv --lang zh --unit wan contribute --project robotics --round A \
    --amount 50,000,000.01
expect_in "$OUT" "出资金额 5,000.000001万元 超过网络的金额警戒线 5,000.00万元"

# ---- what machines read does not change with the language or the unit ----------------------
for q in "log inv --format csv" "log fund --format json" "program status incubation --format json" \
         "show inv:0 --format json"; do
    # shellcheck disable=SC2086
    cf inv $q >"$T/en.out"
    # shellcheck disable=SC2086
    cf inv --lang zh --unit wan $q >"$T/zh.out"
    same_file "$T/en.out" "$T/zh.out" "cofund $q in English and in Chinese (wan)"
done

# ---- the home's config: lang zh, and --lang en over it ---------------------------------------
printf 'lang zh\n' >>"$T/inv/config"
OUT=$(cf inv whoami)
expect_in "$OUT" "^名称      inv$"
expect_in "$OUT" "^密钥      [0-9a-f]\{64\}$"
expect_in "$OUT" "^成员      inv, investor$"
OUT=$(cf inv --lang en whoami)
expect_in "$OUT" "^name      inv$"
expect_in "$OUT" "^member    inv, investor$"
expect_exit 0 inv contribute --project robotics --round B --amount 100
expect_in "$OUT" "^出资 100.00 元已记为 inv#"
echo "i18n_entries: ok"
