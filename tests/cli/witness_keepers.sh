#!/usr/bin/env bash
# witness_keepers.sh — who keeps a feed's lines (docs/format.md "Who keeps
# the lines", docs/protocol.md §4 "Who gets the lines"). Ten members: each
# feed has 4 witnesses, and inv-a's lines are kept by inv-a, its witnesses,
# the auditor and the city; every other home stores inv-a's checkpoints with
# the author's line alone and checks no line of them.
#
#   witnesses, city ─ inv-a ─ X ─ Y ─ aud     X, Y, Z: homes that keep
#                             └ Z             nothing of inv-a's feed (the
#                                             others' nodes do not run)
#
# inv-a appends. Its witnesses cosign, their lines climb to inv-a, and the
# full set comes down only the links that asked for it: aud's node, two hops
# behind homes that keep nothing, asks up the tree (X and Y pass the request
# on) and gets the set; Z, which asked nothing, holds the checkpoint with its
# author's line only, and `node status` shows "-" for its witnesses. Then
# aud's node stops, inv-a appends again, and aud's node, started after the
# set was made, fetches the new checkpoint and asks for it: it gets the set.
# Before, every home kept — and checked — every line: Z held the full set.
source "$(dirname "$0")/node_lib.sh"

network inv-a:investor inv-b:investor inv-c:investor inv-d:investor inv-e:investor \
    inv-f:investor inv-g:investor fund:fund aud:auditor
HOMES=(city inv-a inv-b inv-c inv-d inv-e inv-f inv-g fund aud)
cf inv-a contribute --project robotics --round A --amount 1,000 >/dev/null
carry inv-a city "${HOMES[@]:2}" # everyone holds inv-a's feed: node status names its keepers

# The keepers, as each home decides, against the lines inv-a's first
# checkpoint gathered through the imports (its witnesses cosigned it there).
WITNESSES=() NOBODY=()
for h in "${HOMES[@]}"; do
    [ "$h" = inv-a ] && continue
    if keeps_lines "$h" inv-a; then
        [ "$h" = aud ] || [ "$h" = city ] || WITNESSES+=("$h")
    else
        NOBODY+=("$h")
    fi
done
keeps_lines inv-a inv-a || fail "inv-a does not keep its own feed's lines"
keeps_lines aud inv-a || fail "the auditor does not keep inv-a's lines"
keeps_lines city inv-a || fail "the city does not keep inv-a's lines"
# aud and the city may be among the 4 witnesses; the other keepers are.
[ "${#WITNESSES[@]}" -ge 2 ] && [ "${#WITNESSES[@]}" -le 4 ] && [ "${#NOBODY[@]}" -ge 3 ] ||
    fail "keepers of inv-a's lines: witnesses ${WITNESSES[*]}, nobody ${NOBODY[*]}"
X=${NOBODY[0]} Y=${NOBODY[1]} Z=${NOBODY[2]}
echo "inv-a's witnesses (besides aud and the city, if they are): ${WITNESSES[*]}; keeping nothing: ${NOBODY[*]}"

start_node inv-a
for w in "${WITNESSES[@]}" city; do start_node "$w" $(peer_of inv-a); done
start_node "$X" $(peer_of inv-a)
start_node "$Y" $(peer_of "$X")
start_node "$Z" $(peer_of "$X")
start_node aud $(peer_of "$Y")

cf inv-a contribute --project robotics --round B --amount 2,000 >/dev/null
full_set() { [ "$(cosigners inv-a inv-a | wc -w)" = 4 ]; }
wait_until "inv-a's new checkpoint with its 4 witnesses' lines" full_set
wait_until "inv-a's full set at aud, through $X and $Y" kept_checkpoints inv-a -- aud
wait_until "inv-a's checkpoint at $Z" holds "$Z" inv-a
# Every witness holds the set (the lines went down to them, who asked by
# sending theirs up).
wait_until "inv-a's full set at its witnesses and the city" kept_checkpoints inv-a -- "${WITNESSES[@]}" city
# A line sent down a link nobody asked over would have reached Z with the
# set that reached X (X passed it to Y at once); a second is long for that.
sleep 1
[ -z "$(cosigners "$Z" inv-a)" ] || fail "$Z keeps nothing of inv-a's feed and holds lines: $(cosigners "$Z" inv-a)"
kept_checkpoints inv-a -- "$Z" || fail "$Z holds another checkpoint of inv-a's feed"
row=$(cf "$Z" node status | awk '$1 == "inv-a"')
[ "$(awk '{print $5}' <<<"$row")" = - ] || fail "$Z's node status shows inv-a as: $row"
[ "$(awk '{print $5}' <<<"$(cf aud node status | awk '$1 == "inv-a"')")" = 4 ] ||
    fail "aud's node status: $(cf aud node status | awk '$1 == "inv-a"')"
# An export from Z says that its bundle will not pass --witnesses; aud's does
# not need to.
OUT=$(cf "$Z" export --out "$T/z.bundle")
expect_in "$OUT" "^note: this home does not keep the cosignatures of [1-9][0-9]* feeds\? in the bundle; an audit with --witnesses needs the export of an auditor's home or the governance's$"
OUT=$(cf aud export --out "$T/aud.bundle")
! grep -q "^note:" <<<"$OUT" || fail "aud's export: $OUT"
# `log` says where the lines are, not that nobody witnessed the checkpoint.
expect_in "$(cf "$Z" log inv-a)" "^latest checkpoint: size 2; its cosignatures are kept by its author, its witnesses, the auditors and the governance, not by this home$"
expect_in "$(cf aud log inv-a)" "^latest checkpoint: size 2, witnessed by 4 members: "

# ---- an auditor whose node was down catches up with the lines ------------------
# aud's node stops; inv-a appends and its witnesses complete the set while
# aud is away. When aud's node starts again behind the same homes that keep
# nothing, it fetches the checkpoint, asks for the lines and gets the set.
# (aud may be one of the 4 witnesses: then the set waits for its line.)
aud_witnesses=$(cosigners inv-a inv-a | tr ' ' '\n' | grep -cx "$(origin_of aud)" || true)
others=$((4 - aud_witnesses))
stop_node aud
cf inv-a contribute --project robotics --round C --amount 3,000 >/dev/null
size_is() { [ "$(feed_field "$1" inv-a size)" = 3 ]; }
wait_until "inv-a's third entry at $Y" size_is "$Y"
lines_of_others() { [ "$(cosigners inv-a inv-a | wc -w)" = "$others" ]; }
wait_until "inv-a's new checkpoint with the lines of its $others witnesses that run" lines_of_others
start_node aud $(peer_of "$Y")
wait_until "inv-a's new checkpoint with its 4 witnesses' lines" full_set
wait_until "inv-a's new full set at aud, started after it was made" kept_checkpoints inv-a -- aud
verify_all inv-a "$X" "$Y" "$Z" aud
stop_all
echo ok
