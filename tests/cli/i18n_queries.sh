#!/usr/bin/env bash
# i18n_queries.sh — the fund manager's queries in Chinese (issue 18): positions,
# program status, unmatched, returns, projects and programs, in --lang zh and
# en (and LANG=zh_CN.UTF-8 once). Their tables align by display width with
# Chinese display names and headings (every cell of a column starts, or ends,
# at the same display column on every line); --unit wan shows exactly the
# yuan figures divided by 10,000; JSON and CSV are byte-identical whatever
# the language and the unit.
source "$(dirname "$0")/lib.sh"

cf city init --name city >/dev/null
cf city network create --name "测试网络" --tz +08:00 >/dev/null
# Tables name members by their display names: the investor's is Chinese.
declare -A display=([inv]="社会资本甲")
for spec in fund:fund inv:investor team:team; do
    cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null
    cf city member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" --name "${spec%%:*}" \
        ${display[${spec%%:*}]:+--display "${display[${spec%%:*}]}"} >/dev/null
done
cf city program add industrial --preset industrial --operator fund --start 2026-01-01 >/dev/null
cf city program add incubation --preset incubation --operator fund --start 2026-01-01 >/dev/null
cf city project add robotics --name "机器人产线" >/dev/null
cf city project add sensors --name "传感器初创公司 Sensor" --kind incubation >/dev/null
carry city fund inv team

# Amounts with fen, so that wan shows six decimals (123,456.78 yuan = 12.345678 wan).
cf inv contribute --project robotics --round A --amount 123,456.78 --program industrial --time 2026-02-01 >/dev/null
cf inv contribute --project robotics --round A --amount 300,000.01 --program industrial --time 2026-03-01 >/dev/null
cf team contribute --project sensors --round seed --amount 200,000 --program incubation --time 2026-02-10 >/dev/null
carry inv fund
carry team fund
cf fund match --program industrial --project robotics --round A --cite inv:0=123,456.78 --time 2026-02-20 >/dev/null
cf fund match --program incubation --project sensors --round seed --cite team:0=150,000.5 --time 2026-02-25 >/dev/null
cf inv exit --project robotics --amount 1,234.56 --proceeds 2,000.07 --time 2026-06-01 >/dev/null
cf fund valuation --project robotics --value 987,654.32 --time 2026-06-30 >/dev/null
carry fund city inv team
carry inv city team
carry team city

AS_OF=2026-12-31
QUERIES=(
    "positions"
    "positions --by-round"
    "program status industrial"
    "program status incubation --as-of $AS_OF"
    "unmatched --at 2026-03-15"
    "returns --as-of $AS_OF"
    "projects"
    "programs"
)

# Each query in every language and unit, every format.
n=0
for q in "${QUERIES[@]}"; do
    n=$((n + 1))
    for lang in en zh; do
        for unit in yuan wan; do
            # shellcheck disable=SC2086
            cf city --lang $lang --unit $unit $q >"$T/$n.$lang.$unit.txt" \
                || fail "$q --lang $lang --unit $unit"
            for fmt in json csv; do
                # shellcheck disable=SC2086
                cf city --lang $lang --unit $unit $q --format $fmt >"$T/$n.$lang.$unit.$fmt" \
                    || fail "$q --format $fmt --lang $lang --unit $unit"
                same_file "$T/$n.en.yuan.$fmt" "$T/$n.$lang.$unit.$fmt" \
                    "$q --format $fmt in --lang $lang --unit $unit and en/yuan"
            done
        done
    done
    [ -s "$T/$n.en.yuan.json" ] && [ -s "$T/$n.en.yuan.csv" ] || fail "$q: empty JSON or CSV"
    printf '%s\n' "$q" >"$T/$n.query"
done

# The environment's language, without --lang.
env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG=zh_CN.UTF-8 \
    "$COFUND_BIN" --home "$T/city" positions >"$T/lang-env.txt"
same_file "$T/1.zh.yuan.txt" "$T/lang-env.txt" "positions with LANG=zh_CN.UTF-8 and with --lang zh"

# English stays English: its headings and words.
expect_in "$(cat "$T/1.en.yuan.txt")" "^PROJECT  *HOLDER  *ROLE  *INVESTED (yuan)  *EXITED (yuan)  *NET (yuan)  *SHARE$"
expect_in "$(cat "$T/1.en.wan.txt")" "INVESTED (10k yuan)"
expect_in "$(cat "$T/3.en.yuan.txt")" "^deployed  *123,456.78$"
expect_in "$(cat "$T/3.en.yuan.txt")" "^amounts in yuan$"

# Chinese: the glossary's words, the rule IDs kept, dates in Chinese.
zh() { cat "$T/$1.zh.yuan.txt"; }
expect_in "$(zh 1)" "^项目  *持有人  *角色  *已投资(元)  *已退出(元)  *净额(元)  *占比$"
expect_in "$(zh 1)" "^robotics（机器人产线）  *社会资本甲  *investor  *423,456.79  *1,234.56  *422,222.23  *77.38%$"
expect_in "$(zh 1)" "（合计）"
expect_in "$(zh 1)" "^按持有人合计$"
expect_in "$(zh 2)" "^项目  *轮次  *持有人  *已投资(元)"
expect_in "$(zh 2)" "（退出）"
expect_in "$(zh 3)" "^资金计划 industrial（match），由 fund 运营，自 2026年1月1日 起$"
expect_in "$(zh 3)" "^金额单位：元$"
expect_in "$(zh 3)" "^已投放  *123,456.78$"
expect_in "$(zh 3)" "^已配套社会资本  *"
expect_in "$(zh 3)" "^待跟投  *"
expect_in "$(zh 3)" "R-MATCH.3、.4、.6"
expect_in "$(zh 3)" "^年度  *已投放(元)  *使用率  *剩余预算(元)  *已配套社会资本(元)  *放大倍数$"
expect_in "$(zh 4)" "^在投余额  *"
expect_in "$(zh 5)" "^资金计划 industrial（配比 "
expect_in "$(zh 5)" "^项目  *轮次  *出资  *日期  *金额(元)  *待跟投(元)  *跟投期限截止  *可跟投(元)$"
expect_in "$(zh 5)" "2026年3月1日 00:00 +08:00"
expect_in "$(zh 5)" "^  待跟投 .*；当前可跟投 "
expect_in "$(zh 6)" "^holder  *社会资本甲  *423,456.79 "
expect_in "$(zh 6)" "^类型  *名称  *投入(元)  *已分配(元)  *剩余价值(元)  *投资倍数  *内部收益率$"
expect_in "$(zh 7)" "^robotics  *机器人产线  *2026年"
expect_in "$(zh 7)" "股权(元)$"
expect_in "$(zh 8)" "^资金计划  *类型  *运营方  *状态  *关闭日期  *现行条款(元)$"
expect_in "$(zh 8)" "开放  *配比 "
expect_in "$(cat "$T/8.zh.wan.txt")" "现行条款(万元)"
# Display names where people read (docs/i18n.md): a project is its identifier with its display
# name in brackets (full-width in Chinese), a member is its display name; in positions, program
# status, unmatched and the register, in either language. JSON and CSV keep the identifiers.
expect_in "$(zh 1)" "^sensors（传感器初创公司 Sensor）  *team  *team "
expect_in "$(cat "$T/1.en.yuan.txt")" "^robotics (机器人产线)  *社会资本甲  *investor "
expect_in "$(zh 2)" "^robotics（机器人产线）  *A  *社会资本甲 "
expect_in "$(zh 3)" "^robotics（机器人产线）  *123,456.78 "
expect_in "$(cat "$T/3.en.yuan.txt")" "^robotics (机器人产线)  *123,456.78 "
expect_in "$(zh 5)" "^robotics（机器人产线）  *A  *inv#1 "
grep -q '机器人产线' "$T/1.zh.yuan.json" "$T/1.zh.yuan.csv" && fail "positions JSON or CSV names a display name"
REG=$(cf city --lang zh register)
expect_in "$REG" "^inv#0  .*  出资  *123,456.78  投入 robotics（机器人产线） 第 A 轮，资金计划 industrial$"
expect_in "$REG" "^inv#2  .*  退出  .*自 robotics（机器人产线），退出所得 "
expect_in "$(cf city register)" "^inv#0  .*  contribution  *123,456.78  to robotics (机器人产线) round A for program industrial$"
cf city register --format csv >"$T/reg.csv"
grep -q '机器人产线）' "$T/reg.csv" && fail "the register's CSV names a project by its display name"
same_file "$T/reg.csv" <(cf city --lang zh --unit wan register --format csv) "the register's CSV in zh/wan and en/yuan"
OUT=$(cf city --lang zh pool status industrial 2>&1) && fail "pool status of a matching program: $OUT"
expect_in "$OUT" "资金计划 industrial 的类型是 match，不是贷款风险补偿资金池"

# Alignment, units and figures, computed from the texts.
python3 - "$T" "$n" <<'PY' || fail "tables"
import re, sys, unicodedata
from decimal import Decimal
t, n = sys.argv[1], int(sys.argv[2])

def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in s)

def cols(line):
    """Each character's first display column."""
    out, c = [], 0
    for ch in line:
        out.append(c)
        c += width(ch)
    return out

def tokens(line):
    """(start, end, text) of the cells: runs of text two spaces apart, in display columns."""
    at = cols(line) + [width(line)]
    return [(at[m.start()], at[m.end()], m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]

def table(lines, what):
    """The columns of a table (its first line the headings): every cell starts at its
    column's start or ends at its end, the same on every line. Returns headings, rows."""
    spans = []  # the columns: display ranges taken by some cell
    for line in lines:
        for s, e, _ in tokens(line):
            spans.append([s, e])
    spans.sort()
    merged = []
    for s, e in spans:
        if merged and s <= merged[-1][1] + 1:  # overlapping, or one space apart: one column
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    heads = tokens(lines[0])
    assert len(heads) == len(merged), (what, "columns", [h[2] for h in heads], merged, lines)
    rows = []
    side = [set() for _ in merged]
    for line in lines:
        row = [""] * len(merged)
        for s, e, text in tokens(line):
            k = [i for i, (a, b) in enumerate(merged) if a <= s and e <= b]
            assert len(k) == 1, (what, line, text)
            a, b = merged[k[0]]
            assert s == a or e == b, (what, "misaligned", line, text, (a, b))
            if not (s == a and e == b):
                side[k[0]].add("left" if s == a else "right")
            row[k[0]] = text
        rows.append(row)
    for i, sd in enumerate(side):
        assert len(sd) <= 1, (what, "column", heads[i][2], "aligned both ways")
    return [h[2] for h in heads], rows[1:]

def blocks(text):
    out, cur = [], []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out

def tables(q, text):
    """The tables of a query's output: the blocks that are tables."""
    bs = blocks(text)
    if q.startswith("program status"):
        return bs[1:]  # the terms and figures first
    if q.startswith("unmatched"):
        # per program: its line, the table, the summary line
        return [b[1:-1] for b in bs]
    if q == "positions":
        return [bs[0], bs[1][1:]]  # positions; totals by holder (after its title)
    return bs

def amount(s):
    assert re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})*\.[0-9]{2,6}", s), s
    return Decimal(s.replace(",", ""))

YUAN = re.compile(r"\((yuan|元)\)$")
WAN = re.compile(r"\((10k yuan|万元)\)$")
compared = fractional = 0
for i in range(1, n + 1):
    q = open(f"{t}/{i}.query").read().strip()
    for lang in ("en", "zh"):
        y = open(f"{t}/{i}.{lang}.yuan.txt").read()
        w = open(f"{t}/{i}.{lang}.wan.txt").read()
        ty, tw = tables(q, y), tables(q, w)
        assert len(ty) == len(tw) and ty, (q, lang)
        for a, b in zip(ty, tw):
            hy, ry = table(a, (q, lang, "yuan"))
            hw, rw = table(b, (q, lang, "wan"))
            assert len(ry) == len(rw), (q, lang)
            for k, (h1, h2) in enumerate(zip(hy, hw)):
                if not YUAN.search(h1):
                    assert h1 == h2 and not WAN.search(h2), (q, lang, h1, h2)
                    continue
                assert WAN.search(h2), (q, lang, h2)
                for r1, r2 in zip(ry, rw):
                    if r1[k] == r2[k] and r1[k] in ("", "-"):  # nothing there
                        continue
                    if q == "programs":  # terms: the amounts within the text
                        n1 = re.findall(r"[0-9][0-9,]*\.[0-9]+", r1[k])
                        n2 = re.findall(r"[0-9][0-9,]*\.[0-9]+", r2[k])
                        pairs = list(zip(n1, n2))
                        assert len(n1) == len(n2), (r1[k], r2[k])
                    else:
                        pairs = [(r1[k], r2[k])]
                    for v1, v2 in pairs:
                        a1, a2 = amount(v1), amount(v2)
                        assert a2 * 10000 == a1, (q, lang, h1, v1, v2)
                        assert len(v2.split(".")[1]) <= 6, v2
                        compared += 1
                        fractional += a1 % 100 != 0
        # the figures of program status: values end at one display column, in the unit
        if q.startswith("program status"):
            for text, unit in ((y, 1), (w, 10000)):
                fig = blocks(text)[0]
                ends = set()
                for line in fig:
                    m = re.match(r"^(\S.*?|  \S.*?) +(-?[0-9][0-9,]*\.[0-9]+|-)(  \(.*)?$", line)
                    if m and width(m.group(1)) <= 20:
                        ends.add(width(line[: m.end(2)]))
                assert ends == {41}, (q, lang, ends, fig)
            def figures(text):
                out = {}
                for line in blocks(text)[0]:
                    m = re.match(r"^(\S+(?: \S+)*) +(-?[0-9][0-9,]*\.[0-9]+)(  .*)?$", line)
                    if m and m.group(1) not in ("leverage", "放大倍数"):
                        out[m.group(1)] = amount(m.group(2))
                return out
            fy, fw = figures(y), figures(w)
            assert fy.keys() == fw.keys() and len(fy) >= 5, (fy, fw)
            for k in fy:
                assert fw[k] * 10000 == fy[k], (q, lang, k, fy[k], fw[k])
                compared += 1
assert compared >= 100 and fractional >= 10, (compared, fractional)
print("aligned; wan = yuan / 10,000 in", compared, "amounts")
PY

# A Chinese display name wider than its heading: the columns after it still line up.
python3 - "$T/7.zh.yuan.txt" <<'PY' || fail "projects table"
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1]).read().splitlines()
head, rows = lines[0], lines[1:]
k = head.index("类型")
for r in rows:
    name = "机器人产线" if r.startswith("robotics") else "传感器初创公司 Sensor"
    i = r.index(name)
    assert w(r[:i]) == w(head[: head.index("名称")]), r
    # the kind column starts at the same display column as its heading
    kind = "incubation" if r.startswith("sensors") else None
    if kind:
        assert w(r[: r.index(kind)]) == w(head[:k]), (r, head)
PY

# A project whose display name is its identifier is named by its identifier alone.
cf city project add plain --name plain >/dev/null 2>&1
carry city inv
cf inv contribute --project plain --round A --amount 1 --time 2026-07-01 >/dev/null 2>&1
expect_in "$(cf inv --lang zh positions --project plain)" "^plain  *社会资本甲  *investor "
echo ok
