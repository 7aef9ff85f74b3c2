#!/usr/bin/env bash
# i18n_instruments.sh — the policy's other instruments and the node in
# Chinese (docs/glossary.md): a pool's deposit, a bank's loan, its guarantee,
# a demonstration award, a first-set certification and its subsidy, and
# `node status` (with nodes running and without), each in Chinese
# (--lang zh, LANG=zh_CN.UTF-8) and in English as before; --unit wan figures
# are the yuan figures ÷ 10,000 exactly; tables align by display width;
# JSON and CSV are byte-identical whatever --lang and --unit.
#
#   city    governance          fund    operates the pool, awards, subsidies
#   bank-a  a bank
source "$(dirname "$0")/node_lib.sh"

network fund:fund bank-a:bank
cf city project add robot --name "机器人产线" --kind equity >/dev/null || fail "project robot"
cf city program add pool --preset pool --operator fund >/dev/null || fail "pool program"
cf city program add awards --preset award --annual-budget 1,000,000 >/dev/null || fail "awards"
cf city program add first-set --preset first-set --annual-budget 1,000,000 >/dev/null ||
    fail "first-set program"
carry city fund bank-a

zh() { local who=$1; shift; cf "$who" --lang zh "$@"; }

# aligned TEXT — every full line of a table (cells two or more spaces apart)
# has each cell start (left-aligned) or end (right-aligned) at the same
# display column as its heading (a CJK character takes two columns).
aligned() {
    python3 - "$1" <<'PY' || fail "table not aligned by display width: $1"
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = []
for l in sys.argv[1].split("\n"):
    if l.strip():
        rows.append([(width(l[:m.start()]), width(l[:m.end()])) for m in re.finditer(r"\S+(?: \S+)*", l)])
full = [r for r in rows if len(r) == len(rows[0])]
ok = len(full) > 1 and all(
    len({r[c][0] for r in full}) == 1 or len({r[c][1] for r in full}) == 1 for c in range(len(rows[0])))
sys.exit(0 if ok else 1)
PY
}

# ---- the pool in Chinese, in wan, in English ---------------------------------------
O=$(zh fund deposit --program pool --amount 1,000,000) || fail "deposit (zh)"
expect_in "$O" "存入 1,000,000.00元"
O=$(zh fund --unit wan deposit --program pool --amount 10,000.01) || fail "deposit (zh, wan)"
expect_in "$O" "存入 1.000001万元" # 10,000.01 yuan ÷ 10,000, exactly
O=$(cf fund --unit wan deposit --program pool --amount 250,000) || fail "deposit (en, wan)"
expect_in "$O" "deposit of 25.00 10k yuan"
O=$(cf fund deposit --program pool --amount 0.01) || fail "deposit (en)"
expect_in "$O" "deposit of 0.01 yuan appended as fund#"
# A rule's rejection keeps its rule ID in Chinese (its text is the rules').
OUT=$(zh fund deposit --program pool --amount 99,000,000 2>&1) && fail "over the pool's size"
expect_in "$OUT" "R-POOL.8"
OUT=$(zh fund compensate --program awards --default bank-a:0 2>&1) && fail "compensate from awards"
expect_in "$OUT" "本账本没有 bank-a#0（请先导入或同步）"

O=$(LANG=zh_CN.UTF-8 cf bank-a loan --program pool --project robot --amount 10,000,000 \
    --term-months 36) || fail "loan (LANG=zh_CN.UTF-8)"
expect_in "$O" "贷款 10,000,000.00元，借款项目 robot"
O=$(cf bank-a loan --program pool --project robot --amount 2,000,000 --term-months 12) ||
    fail "loan (en)"
expect_in "$O" "loan of 2,000,000.00 yuan to robot appended as bank-a#1"
carry bank-a fund
O=$(zh fund guarantee --program pool --loan bank-a:0) || fail "guarantee (zh)"
expect_in "$O" "担保贷款 bank-a:0（10,000,000.00），纳入资金池"
O=$(zh fund --unit wan guarantee --program pool --loan bank-a:1) || fail "guarantee (zh, wan)"
expect_in "$O" "担保贷款 bank-a:1（200.00万元），纳入资金池"
# Help in Chinese: the glossary's words.
O=$(zh fund help guarantee) || fail "help guarantee (zh)"
expect_in "$O" "纳入资金池"

# ---- awards, certification and a subsidy ---------------------------------------------
O=$(zh fund award --program awards --project robot --amount 500,000 --year 2026) || fail "award"
expect_in "$O" "示范项目奖励 500,000.00元，项目 robot，年度 2026"
O=$(zh city certify --kind first-set --project robot --product "焊接机器人 WR-1" \
    --price 1,000,000.01 --from 2026-01-01 --until 2027-12-31) || fail "certify (zh)"
expect_in "$O" "（编号即治理方记录链序号）"
CERT=$(sed 's/^认定 \([0-9]*\)：.*/\1/' <<<"$O")
O=$(cf city certify --kind local --project sensors --from 2026-01-01) || fail "certify (en)"
expect_in "$O" "certification [0-9]*: sensors, local (its number: the governance index)"
LOCAL=$(awk '{print $2}' <<<"$O" | tr -d :)
O=$(zh city revoke "$LOCAL" --at 2026-09-01T08:30) || fail "revoke (zh)"
expect_in "$O" "认定 $LOCAL 自 2026年9月1日 08:30 +08:00 起撤销"
O=$(zh city certifications) || fail "certifications (zh)"
expect_in "$O" "内容"
expect_in "$O" "焊接机器人 WR-1，认定价格 1,000,000.01"
expect_in "$O" "2026年1月1日"
aligned "$O"
O=$(zh city --unit wan certifications) || fail "certifications (zh, wan)"
expect_in "$O" "认定价格 100.000001万元"
O=$(cf city certifications) || fail "certifications (en)"
expect_in "$O" "焊接机器人 WR-1 at 1,000,000.01"
expect_in "$O" "ID  KIND"
for f in json csv; do
    cf city certifications --format $f >"$T/certs.en.$f"
    cf city --lang zh --unit wan certifications --format $f >"$T/certs.zh.$f"
    same_file "$T/certs.en.$f" "$T/certs.zh.$f" "certifications --format $f across --lang/--unit"
done
carry city fund
# The share printed first (Chinese, the unit's figures), then the payment.
O=$(cf fund --unit wan subsidy --program first-set --project robot --certification "$CERT" \
    --sale INV-1 --price 1,000,000.01 --dry-run) || fail "subsidy dry run"
expect_in "$O" "3/10 × price 100.000001 10k yuan = 30.00 10k yuan (rounded down to the fen, within the cap per unit)"
O=$(zh fund subsidy --program first-set --project robot --certification "$CERT" --sale INV-1 \
    --price 1,000,000.01) || fail "subsidy (zh)"
expect_in "$O" "3/10 × 价格 1,000,000.01 = 300,000.00（向下取整到分，不超过每台(套)上限）"
expect_in "$O" "补贴 300,000.00元，购买方 robot，销售 INV-1"
# Refused by a rule in Chinese: the share is printed, the rule ID kept.
OUT=$(zh fund subsidy --program first-set --project robot --certification "$CERT" --sale INV-1 \
    --price 1,000,000.01 2>&1) && fail "a second subsidy of one sale"
expect_in "$OUT" "向下取整到分"
expect_in "$OUT" "R-SUBSIDY"
O=$(cf fund subsidy --program first-set --project robot --certification "$CERT" --sale INV-2 \
    --price 10) || fail "subsidy (en)"
expect_in "$O" "3/10 × price 10.00 = 3.00 (rounded down to the fen, within the cap per unit)"
expect_in "$O" "subsidy of 3.00 yuan to robot for sale INV-2 appended as fund#"

# ---- node status ------------------------------------------------------------------
carry fund city
carry bank-a city
O=$(zh city node status) || fail "node status (zh)"
expect_in "$O" "^节点：未运行"
expect_in "$O" "^记录链："
expect_in "$O" "成员 *记录数 *已生效 *待处理 *见证 *根哈希 *状态"
expect_in "$O" "fund *[0-9]* *[0-9]* *0 .* 正常$"
O=$(cf city node status) || fail "node status (en)"
expect_in "$O" "^node: not running"
expect_in "$O" "MEMBER *SIZE *APPLIED *PENDING *WITNESSES *ROOT *STATE"
expect_in "$O" "fund *[0-9]* *[0-9]* *0 .* ok$"
cf city node status --format json >"$T/status.en.json"
LANG=zh_CN.UTF-8 cf city --unit wan node status --format json >"$T/status.zh.json"
same_file "$T/status.en.json" "$T/status.zh.json" "node status --format json across --lang/--unit"

start_node city
start_node fund $(peer_of city)
wait_until "fund connected to city" connected fund city
O=$(zh fund node status) || fail "node status, running (zh)"
expect_in "$O" "^节点：运行中（进程 [0-9]*），启动于 20[0-9]*年[0-9]*月[0-9]*日 [0-9:]* +08:00，监听 127.0.0.1:"
expect_in "$O" "^对等节点：1"
expect_in "$O" "city *127.0.0.1:[0-9]* *传出 *已连接"
aligned "$(sed -n '/^对等节点/,/^记录链/p' <<<"$O" | sed '1d;$d')"
O=$(cf fund node status) || fail "node status, running (en)"
expect_in "$O" "^node: running (pid [0-9]*) since 20[0-9-]* [0-9:]* +08:00, listening on 127.0.0.1:"
expect_in "$O" "city *127.0.0.1:[0-9]* *out *established"
stop_all
echo "ok"
