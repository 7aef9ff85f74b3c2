# demo_net.sh — the network of scripts/demo, built by bundles instead of
# nodes (sourced after lib.sh): the same six members, programs, projects and
# entries, in the same order, each home importing what the next step needs.
#
#   city        governance            fund        matching programs, pool, awards
#   investor-a  social capital        team-x      an incubation team
#   bank        lends under the pool  leasing-co  operates the leasing program
#
# demo_network leaves every feed at the city (the others are not carried
# back) and the city's export in $T/demo.bundle.
DEMO_HOMES=(city fund investor-a team-x bank leasing-co)

demo_network() {
    local h
    for h in "${DEMO_HOMES[@]}"; do cf "$h" init --name "$h" >/dev/null; done
    cf city network create --name "Intelligent manufacturing guidance funds" --tz +08:00 >/dev/null
    cf city member add --key "$(key_of fund)" --role fund --name fund >/dev/null
    cf city member add --key "$(key_of investor-a)" --role investor --name investor-a >/dev/null
    cf city member add --key "$(key_of team-x)" --role team --name team-x >/dev/null
    cf city member add --key "$(key_of bank)" --role bank --name bank >/dev/null
    cf city member add --key "$(key_of leasing-co)" --role lessor --name leasing-co >/dev/null
    cf city program add industrial --preset industrial --operator fund >/dev/null
    cf city program add incubation --preset incubation --operator fund >/dev/null
    cf city program add pool --preset pool --operator fund >/dev/null
    cf city program add leasing --kind leasing --operator leasing-co --down 10:40 \
        --financing 30:80 --advance 0:30 >/dev/null
    cf city program add awards --preset award --operator fund --annual-budget 1,000,000 >/dev/null
    cf city project add robotics --name "Robotics Co." --kind equity >/dev/null
    cf city project add sensors --name "Sensor Startup" --kind incubation >/dev/null
    cf city export --out "$T/city.bundle" >/dev/null
    for h in "${DEMO_HOMES[@]:1}"; do cf "$h" join "$T/city.bundle" >/dev/null; done

    # Matching: 5,000,000 followed 1:1; 400,000 matched up to the 300,000 cap.
    cf investor-a contribute --project robotics --round A --amount 5,000,000 \
        --program industrial >/dev/null
    carry investor-a fund
    cf fund match --program industrial --project robotics --round A --auto 5000000 >/dev/null
    cf team-x contribute --project sensors --round seed --amount 40万 --program incubation >/dev/null
    carry team-x fund
    cf fund match --program incubation --project sensors --round seed --auto 300000 >/dev/null

    # The pool: deposits, two loans, guarantees, a repayment and its release,
    # a default and its compensation.
    cf fund deposit --program pool --amount 1,000,000 >/dev/null
    carry fund bank
    cf bank loan --program pool --project robotics --amount 10,000,000 --term-months 36 >/dev/null
    carry bank fund
    cf fund guarantee --program pool --loan bank:0 >/dev/null
    cf bank loan --program pool --project sensors --amount 500,000 --term-months 12 >/dev/null
    cf bank repay --loan 0 --amount 2,000,000 >/dev/null
    carry bank fund
    cf fund release --program pool --repay bank:2 >/dev/null
    cf fund guarantee --program pool --loan bank:1 >/dev/null
    cf bank default --loan 1 --loss 500,000 >/dev/null
    carry bank fund
    cf fund compensate --program pool --default bank:3 >/dev/null
    cf fund deposit --program pool --amount 150,000 >/dev/null

    # Leasing and an award.
    cf leasing-co lease --program leasing --project sensors --equipment "5-axis machining centre" \
        --price 2,000,000 --down 400,000 --financing 1,200,000 --advance 400,000 >/dev/null
    cf fund award --program awards --project robotics --amount 500,000 --year 2026 >/dev/null

    for h in "${DEMO_HOMES[@]:1}"; do carry "$h" city; done
    cf city export --out "$T/demo.bundle" >/dev/null
}
