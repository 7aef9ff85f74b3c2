#!/usr/bin/env bash
# i18n_dashboard.sh — the dashboard's languages (issue 18; docs/operations.md
# "The dashboard"): /api/i18n answers every message id of the pages (the
# _("…") xgettext extracts from node/cli/web/*.js) translated in Chinese and
# as itself in English; the language is ?lang, else the browser's
# Accept-Language, else the config's lang; the JSON API is byte-identical
# whatever the language asked or the config's; serving Chinese pages never
# turns the node's own messages or its log lines Chinese.
source "$(dirname "$0")/node_lib.sh"
source "$(dirname "$0")/dashboard_lib.sh"
command -v curl >/dev/null || { echo "curl is missing: skipped"; exit 77; }
command -v xgettext >/dev/null || { echo "xgettext is missing: skipped"; exit 77; }
WEB=$COFUND_TESTS/../node/cli/web

dashboard_network
dashboard_start city
get() { curl -s -D "$T/head" -o "$T/body" -w '%{http_code}' "$@"; } # status; headers, body in $T
lang_of() { tr -d '\r' <"$T/head" | sed -n 's/^Content-Language: //Ip'; }

# ---- every page message id, translated -------------------------------------------
xgettext --from-code=UTF-8 --language=JavaScript -k_ --no-wrap -o "$T/pages.pot" "$WEB"/*.js
code=$(get "$URL/api/i18n?lang=zh")
[ "$code" = 200 ] || fail "/api/i18n?lang=zh: HTTP $code"
[ "$(lang_of)" = zh ] || fail "/api/i18n?lang=zh: Content-Language $(lang_of)"
cp "$T/body" "$T/zh.json"
get "$URL/api/i18n?lang=en" >/dev/null
[ "$(lang_of)" = en ] || fail "/api/i18n?lang=en: Content-Language $(lang_of)"
cp "$T/body" "$T/en.json"
python3 - "$T/pages.pot" "$T/zh.json" "$T/en.json" <<'PY' || fail "the pages' words in /api/i18n"
import json, re, sys
pot, zh, en = sys.argv[1:4]
ids = set()
for m in re.finditer(r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)', open(pot, encoding="utf-8").read(), re.M):
    s = "".join(json.loads(x) for x in m.group(1).split("\n") if x)
    if s:
        ids.add(s)
zh, en = json.load(open(zh, encoding="utf-8")), json.load(open(en, encoding="utf-8"))
bad = []
if set(zh) != ids: bad.append("zh ids differ from the pages': %s" % sorted(set(zh) ^ ids)[:10])
if set(en) != ids: bad.append("en ids differ from the pages'")
for k, v in zh.items():
    if not v or v == k: bad.append("zh: %r untranslated" % k)
    elif not re.search(r"[\u4e00-\u9fff\uff00-\uffef]", v): bad.append("zh: %r -> %r has no Chinese" % (k, v))
    if k.count("%s") != v.count("%s"): bad.append("zh: %r -> %r: its %%s" % (k, v))
for k, v in en.items():
    if v != k: bad.append("en: %r -> %r" % (k, v))
print("\n".join(bad), file=sys.stderr)
print("%d page message ids, every one translated" % len(ids))
sys.exit(1 if bad or len(ids) < 100 else 0)
PY
for w in '"Deployed": "已投放"' '"Programs": "资金计划"' '"%s (10k yuan)": "%s(万元)"'; do
    expect_in "$(cat "$T/zh.json")" "$w"
done

# ---- which language: ?lang, else Accept-Language, else the config's ----------------------
get -H "Accept-Language: zh-CN,zh;q=0.9,en;q=0.8" "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = zh ] && cmp -s "$T/body" "$T/zh.json" || fail "Accept-Language zh-CN: $(lang_of)"
get -H "Accept-Language: en-US,en;q=0.9,zh;q=0.8" "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = en ] && cmp -s "$T/body" "$T/en.json" || fail "Accept-Language en-US: $(lang_of)"
get -H "Accept-Language: fr-FR,fr;q=0.9,zh-Hans;q=0.5" "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = zh ] || fail "Accept-Language fr, zh-Hans: $(lang_of)"
get -H "Accept-Language: zh-CN" "$URL/api/i18n?lang=en" >/dev/null
[ "$(lang_of)" = en ] || fail "?lang=en beats Accept-Language"
get -H "Accept-Language: fr" "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = en ] || fail "no language of ours asked: the node's (English)"
[ "$(get "$URL/api/i18n?lang=fr")" = 400 ] || fail "/api/i18n?lang=fr: not 400"
[ "$(get "$URL/api/i18n?holder=x")" = 400 ] || fail "/api/i18n?holder=x: not 400"

# ---- the JSON API is the same whatever the language --------------------------------------
same_bytes() { # same_bytes PATH — /api/PATH alike with ?lang=zh|en, &unit=wan, Accept-Language
    local path=$1 sep='?'
    case $path in *\?*) sep='&' ;; esac
    get "$URL/api/$path" >/dev/null
    cp "$T/body" "$T/plain"
    for q in "lang=zh" "lang=en" "lang=zh&unit=wan" "unit=wan"; do
        [ "$(get -H "Accept-Language: zh-CN" "$URL/api/$path$sep$q")" = 200 ] ||
            fail "/api/$path$sep$q: $(cat "$T/body")"
        cmp -s "$T/body" "$T/plain" || fail "/api/$path$sep$q differs from /api/$path"
    done
}
for p in projects programs positions register "register?type=match" leases members \
         program/industrial pool/pool unmatched; do
    same_bytes "$p"
done
get "$URL/api/projects" >/dev/null
expect_in "$(cat "$T/body")" '"name": "机器人产线"'

# Serving Chinese pages leaves the node English: its errors and its log.
for _ in 1 2 3; do curl -s "$URL/api/i18n?lang=zh" >/dev/null & curl -s "$URL/api/projects" >/dev/null & done
wait_all_curls() { local j; for j in $(jobs -p); do [ "$j" = "${NODE_PID[city]}" ] || wait "$j"; done; }
wait_all_curls
[ "$(get "$URL/api/program/nosuch")" = 404 ] || fail "/api/program/nosuch: not 404"
python3 -c 'import json,re,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(1 if re.search("[\u4e00-\u9fff]", e) else 0)' \
    "$T/body" || fail "an English node's error turned Chinese: $(cat "$T/body")"
stop_node city
grep -P '[\x{4e00}-\x{9fff}]' "$T/city.log" && fail "the node's log holds Chinese"

# ---- a node whose config says lang zh: its pages default to Chinese; the API stays ---------
printf 'lang zh\nunit wan\n' >"$T/city/config"
dashboard_start city
get -H "Accept-Language: fr" "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = zh ] || fail "config lang zh: the pages' default $(lang_of)"
tr -d '\r' <"$T/head" | grep -qi '^X-Cofund-Unit: wan$' || fail "config unit wan: no X-Cofund-Unit: wan"
get "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = zh ] || fail "config lang zh, no Accept-Language: $(lang_of)"
for q in "projects|projects" "programs|programs" "register|register" \
         "program/industrial|program status industrial" "pool/pool|pool status pool"; do
    get "$URL/api/${q%%|*}" >/dev/null
    # shellcheck disable=SC2086 # the command's words
    LANG=C cf city --lang en ${q#*|} --format json >"$T/cli"
    cmp -s "$T/body" "$T/cli" || fail "/api/${q%%|*} of a Chinese node differs from the English CLI's JSON"
done
stop_node city
grep -P '[\x{4e00}-\x{9fff}]' "$T/city.log" && fail "a Chinese node's log holds Chinese"

# ---- a node in a Chinese locale (no config lang): the same ----------------------------------
rm "$T/city/config"
LANG=zh_CN.UTF-8 dashboard_start city
get "$URL/api/i18n" >/dev/null
[ "$(lang_of)" = zh ] && cmp -s "$T/body" "$T/zh.json" || fail "LANG=zh_CN.UTF-8: the pages' default $(lang_of)"
get "$URL/api/projects" >/dev/null
cp "$T/body" "$T/zhnode"
get "$URL/api/projects?lang=en" >/dev/null
cmp -s "$T/body" "$T/zhnode" || fail "LANG=zh_CN.UTF-8: /api/projects?lang=en differs"
stop_node city
grep -P '[\x{4e00}-\x{9fff}]' "$T/city.log" && fail "a Chinese-locale node's log holds Chinese"
echo "ok"
