# dashboard_lib.sh — a small network for the dashboard's tests (sourced
# after node_lib.sh): city (governance), fund (operates the matching
# program, the awards and the pool), inv (its display name Chinese) and team;
# a project whose display name is markup, one whose name is Chinese (held by team), entries of each kind the pages show, carried to city.
# dashboard_start HOME ARGS... then runs HOME's node with --http
# 127.0.0.1:0 and sets URL to the dashboard's address.
HOSTILE='<script>alert(1)</script>'
# The investor's display name is Chinese: the pages name members by theirs.
declare -A MEMBER_DISPLAY=([inv]="社会资本甲")

dashboard_network() {
    cf city init --name city >/dev/null
    cf city network create --name "Dashboard town" --tz +08:00 >/dev/null
    for spec in fund:fund inv:investor team:team; do
        cf "${spec%%:*}" init --name "${spec%%:*}" >/dev/null 2>&1
        cf city member add --key "$(key_of "${spec%%:*}")" --role "${spec#*:}" \
            --name "${spec%%:*}" ${MEMBER_DISPLAY[${spec%%:*}]:+--display "${MEMBER_DISPLAY[${spec%%:*}]}"} \
            >/dev/null
    done
    cf city program add industrial --preset industrial --operator fund --start 2026-01-01 >/dev/null
    cf city program add awards --preset award --operator fund >/dev/null
    cf city program add pool --preset pool --operator fund >/dev/null
    cf city project add robotics --name "Robotics Co." >/dev/null
    cf city project add xss --name "$HOSTILE" --kind incubation >/dev/null
    cf city project add robot --name "机器人产线" >/dev/null
    carry city fund inv team
    cf inv contribute --project robotics --round A --amount 500,000 --program industrial \
        --time 2026-02-01 >/dev/null
    cf inv contribute --project xss --round seed --amount 120,000 --time 2026-02-03 >/dev/null
    cf team contribute --project robotics --round A --amount 80,000 --time 2026-02-10 >/dev/null
    cf team contribute --project robot --round seed --amount 50,000 --time 2026-02-12 >/dev/null
    carry inv fund
    carry team fund
    cf fund match --program industrial --project robotics --round A --cite inv:0=500,000 \
        --time 2026-02-20 >/dev/null
    cf inv contribute --project robotics --round A --amount 60,000 --program industrial \
        --time 2026-05-01 >/dev/null
    cf fund award --program awards --project xss --amount 100,000 --year 2026 --time 2026-03-01 >/dev/null
    cf fund deposit --program pool --amount 1,000,000 --time 2026-03-02 >/dev/null
    cf inv exit --project robotics --amount 100,000 --time 2026-06-01 >/dev/null
    carry fund city inv team
    carry inv city team
    carry team city
}

# dashboard_start HOME ARGS... — HOME's node with the dashboard on a free
# loopback port; URL is its address (http://127.0.0.1:PORT).
dashboard_start() {
    local who=$1
    shift
    start_node "$who" --http 127.0.0.1:0 "$@"
    URL=$(sed -n 's#^dashboard: \(http://127\.0\.0\.1:[0-9]*\)/.*#\1#p' "$T/$who.out")
    [ -n "$URL" ] || fail "$who's node printed no dashboard address: $(cat "$T/$who.out")"
}

# python_with MODULE — a python3 that imports MODULE (Debian's python3-*
# packages are /usr/bin/python3's, which another python3 on PATH may hide);
# nothing when none does.
python_with() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null && "$py" -c "import $1" 2>/dev/null; then
            command -v "$py"
            return 0
        fi
    done
}
