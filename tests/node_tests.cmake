# ---- node/ledger ----
cofund_test_support(cofund_test_ledger LIBS cofund_ledger
  SOURCES unit/entry_doc.c unit/entry_golden.c unit/entry_golden_instruments.c
          unit/entry_golden_vectors.c unit/entry_golden_keys.c
          unit/entry_golden_corrections.c unit/entry_golden_subsidy.c
          unit/entry_golden_returns.c unit/entry_golden_names.c
          unit/rules_fixture.c unit/rules_cases.c)
cofund_unit(test_entry_codec LIBS cofund_test_ledger)
cofund_unit(test_entry_reject LIBS cofund_test_ledger)
cofund_unit(test_entry_reject_values LIBS cofund_test_ledger)
cofund_unit(test_entry_reject_subsidy LIBS cofund_test_ledger)
cofund_unit(test_entry_reject_returns LIBS cofund_test_ledger)
cofund_unit(test_entry_reject_names LIBS cofund_test_ledger)
cofund_unit(test_entry_encode LIBS cofund_test_ledger)
cofund_unit(test_amount LIBS cofund_ledger)
cofund_unit(test_caltime LIBS cofund_ledger)
cofund_unit(test_memkv LIBS cofund_ledger)
cofund_unit(test_state_queue LIBS cofund_ledger)
cofund_unit(test_state_history LIBS cofund_ledger)
cofund_unit(test_rules LIBS cofund_test_ledger)
cofund_unit(test_rules_sum LIBS cofund_test_ledger)
cofund_unit(test_rules_pool LIBS cofund_test_ledger)
cofund_unit(test_rules_fork LIBS cofund_test_ledger)
cofund_unit(test_rules_reverse_prop LIBS cofund_test_ledger)
cofund_unit(test_rules_reverse_pool LIBS cofund_test_ledger)
cofund_unit(test_rules_key LIBS cofund_test_ledger)
cofund_unit(test_rules_succession LIBS cofund_test_ledger)
cofund_unit(test_rules_lease LIBS cofund_test_ledger)
cofund_unit(test_rules_subsidy LIBS cofund_test_ledger)
cofund_unit(test_rules_mark LIBS cofund_test_ledger)
cofund_unit(test_rules_rename LIBS cofund_test_ledger)
# node/cli/names.c on its own: the labels tables use (R-RENAME).
cofund_unit(test_cli_names LIBS cofund_test_ledger SOURCES ../node/cli/names.c)
cofund_unit(test_query LIBS cofund_test_ledger)
cofund_unit(test_query_desk LIBS cofund_test_ledger)
cofund_unit(test_returns LIBS cofund_ledger)
cofund_unit(test_state_index LIBS cofund_ledger)
cofund_unit(test_drain LIBS cofund_test_ledger)
cofund_unit(test_rules_model LIBS cofund_ledger
            SOURCES unit/rules_model.c unit/rules_model_gen.c unit/rules_model_corrections.c
                    unit/rules_model_gen_corrections.c unit/rules_model_subsidy.c
                    unit/rules_model_returns.c)
cofund_fuzz(entry LIBS cofund_ledger)
cofund_fuzz(rules LIBS cofund_ledger)

# ---- node/ bundles ----
cofund_test_support(cofund_test_bundle LIBS cofund_bundle SOURCES unit/bundle_fixture.c)
cofund_unit(test_bundle LIBS cofund_test_bundle)
cofund_unit(test_bundle_read LIBS cofund_test_bundle)
cofund_unit(test_bundle_entry_at LIBS cofund_test_bundle)
cofund_fuzz(bundle LIBS cofund_bundle)
cofund_fuzz(fork_proof LIBS cofund_bundle)

# ---- scenario tests: the real binary, real homes in temporary dirs ----
# Test tools linked with the node library:
#   crash_appender  appends contribution batches, prints "acked <size>" after
#                   every commit (tests/cli/crash.sh kills it with kill -9);
#   forge           appends entries to a home's own feed without the rules (or
#                   one large batch through append_entries), re-signs or forks
#                   bundle checkpoints, and relays a feed in batches the way a
#                   peer will (usage at the top of tools/forge.c).
add_executable(crash_appender tools/crash_appender.c)
target_link_libraries(crash_appender PRIVATE cofund_home)
add_executable(forge tools/forge.c)
target_link_libraries(forge PRIVATE cofund_home)
# Linked with crypto and the wire codec only:
#   hostile_peer    a peer that misbehaves in one way per run (garbage, wrong
#                   network, stranger, replay, oversized or cut frames, a
#                   flood of gets, never reading, forged batches; stalled
#                   handshakes, HELLO floods, many sessions of one key, cosig
#                   floods) for tests/cli/node_hostile.sh, node_strangers.sh
#                   and node_members.sh (usage at the top of the file).
add_executable(hostile_peer tools/hostile_peer.c tools/hostile_peer_io.c
               tools/hostile_peer_scale.c)
target_link_libraries(hostile_peer PRIVATE cofund_wire cofund_crypto)

# cofund_cli_test(NAME) runs cli/NAME.sh with the binaries' paths. A test
# exits 77 to report that it was skipped (a tool it needs is missing).
function(cofund_cli_test name)
  add_test(NAME cli_${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/${name}.sh)
  set_tests_properties(cli_${name} PROPERTIES SKIP_RETURN_CODE 77 ENVIRONMENT
    "COFUND_BIN=$<TARGET_FILE:cofund>;COFUND_CRASH_APPENDER=$<TARGET_FILE:crash_appender>;COFUND_FORGE=$<TARGET_FILE:forge>;COFUND_HOSTILE_PEER=$<TARGET_FILE:hostile_peer>;COFUND_AUDIT=$<TARGET_FILE:cofund-audit>;COFUND_TESTS=${CMAKE_CURRENT_SOURCE_DIR}")
endfunction()

cofund_cli_test(basics)
# scripts/pages-written names the pages an append writes (performance.md).
cofund_cli_test(pages_written)
# scripts/bench --peers and --peers-pairs read their two benchmarks' outputs
# into one table and paired rounds (stand-ins for both benchmarks).
cofund_cli_test(bench_peers)
# cofund-bench itself, once over a tiny history: its rows, ceilings and goals
# (no figure judged), so that the on-demand benchmark cannot break unseen.
cofund_cli_test(bench_smoke)
set_property(TEST cli_bench_smoke APPEND PROPERTY ENVIRONMENT
  "COFUND_BENCH=$<TARGET_FILE:cofund-bench>")
# Every command of the binary's own listing: --help, help COMMAND, an unknown
# option, and its entry in docs/cli.md.
cofund_cli_test(help)
# Every exit code of docs/cli.md, one meaning each (tests/cli/exit_codes.sh).
cofund_cli_test(exit_codes)
# A new user's first hour: permissions, reduced dates, hints (first_hour.sh).
cofund_cli_test(first_hour)
# cmake --install: binaries, man pages, unit, config example; the README's
# first session with the installed binaries (tests/cli/install.sh).
cofund_cli_test(install)
set_property(TEST cli_install APPEND PROPERTY ENVIRONMENT "COFUND_BUILD_DIR=${CMAKE_BINARY_DIR}")
cofund_cli_test(multihome)
cofund_cli_test(tamper)
cofund_cli_test(fork)
cofund_cli_test(fork_contained)
cofund_cli_test(rekey)
cofund_cli_test(rekey_fund)
cofund_cli_test(member_display)
cofund_cli_test(succession)
cofund_cli_test(state_upgrade)
cofund_cli_test(import_nonmembers)
cofund_cli_test(progress)
cofund_cli_test(heal_fund)
cofund_cli_test(fork_governance)
cofund_cli_test(crash)
cofund_cli_test(interop)
# What an auditor hands on: the report's header, a signed statement, a
# proof from a bundle, a bundle on standard input (docs/auditing.md §5).
cofund_cli_test(audit_statement)
cofund_cli_test(audit_html)
cofund_cli_test(storage)
# Bit flips in data.mdb page headers: no command crashes (store/store_guard.c).
cofund_cli_test(store_bitflip)
# A changed state record is found on every read; verify recomputes the state.
cofund_cli_test(store_checksum)
cofund_cli_test(keys)
cofund_cli_test(queries)
cofund_cli_test(figures)
cofund_cli_test(i18n_journal)
# The rules' and the node's messages in Chinese: rule IDs, figures and exit codes
# kept, English unchanged (tests/cli/i18n_rules.sh).
cofund_cli_test(i18n_rules)
# The fund manager's reports (issue 15 part 1): projects, programs, positions
# (invested, exited, net, by round), register, unmatched, machine-clean formats.
cofund_cli_test(desk)
cofund_cli_test(register_merge)
cofund_cli_test(completion)
cofund_cli_test(spans)

# ---- node/net: replication ----
cofund_unit(test_wire LIBS cofund_wire)
cofund_unit(test_wire_peers LIBS cofund_wire)
cofund_fuzz(wire LIBS cofund_wire)
cofund_cli_test(node_smoke)
cofund_cli_test(dashboard)
cofund_cli_test(dashboard_metrics)
cofund_cli_test(dashboard_browser)
cofund_cli_test(i18n_dashboard)
# Multi-process scenarios (tests/cli/node_lib.sh): a line of five nodes,
# kill -9 mid-sync, SIGSTOP, a fork, a violation, hostile peers.
cofund_cli_test(node_line)
cofund_cli_test(node_kill)
cofund_cli_test(node_stop)
cofund_cli_test(node_fork)
cofund_cli_test(node_fork_import)
cofund_cli_test(node_violation)
cofund_cli_test(node_hostile)
# Strangers cannot lock members out; one member cannot exhaust a node
# (docs/protocol.md §2 "Strangers and members").
cofund_cli_test(node_strangers)
cofund_cli_test(node_members)
# A home restored from an old backup heals instead of forking: it takes its
# own feed back from a peer (node) or a peer's export (restore), and refuses
# to append until then (docs/operations.md "The backup rule").
cofund_unit(test_own_feed LIBS cofund_home)
# The append and drain paths' write-back cache of the state agrees with the
# store written directly (node/home/state_cache.h).
cofund_unit(test_state_cache LIBS cofund_home)
cofund_cli_test(heal)
cofund_cli_test(node_heal)
# A succession of the governance spreads from node to node (R-SUCCEED).
cofund_cli_test(node_succession)
# Many members at once: 32 nodes, a partition that heals (docs/operations.md).
cofund_cli_test(node_city)
cofund_cli_test(node_pex)
# Work per append linear in the members: 24 nodes, counts per append
# (signatures, batches, cosigs), nothing done while idle (node_scale.sh).
cofund_cli_test(node_scale)

# ---- node/audit: the offline audit (docs/auditing.md) ----
# cosign_line makes the cosignature/v1 line a witness member adds
# (tests/cli/audit_witness.sh chooses exactly who witnessed what).
add_executable(cosign_line tools/cosign_line.c)
target_link_libraries(cosign_line PRIVATE cofund_crypto)
# cofund_audit_test(NAME): cofund_cli_test plus the audit binary, the
# bundle editor's tools and the test tools the audit scenarios use.
function(cofund_audit_test name)
  cofund_cli_test(${name})
  set_property(TEST cli_${name} APPEND PROPERTY ENVIRONMENT
    "COFUND_AUDIT=$<TARGET_FILE:cofund-audit>;COFUND_COSIGN_LINE=$<TARGET_FILE:cosign_line>")
endfunction()
cofund_audit_test(audit)
cofund_audit_test(audit_tamper)
cofund_audit_test(audit_fork)
cofund_audit_test(audit_partial)
cofund_audit_test(audit_witness)
# R-MATCH.6 and the audit's "match after exit" (docs/rules.md, docs/auditing.md).
cofund_audit_test(match_after_exit)
cofund_audit_test(reverse)
# The instruments' entries reversed: R-REVERSE.3's table, each condition on both sides.
cofund_audit_test(reverse_instruments)
# Governance corrections: close, amend, rename, the sanity bound (R-CLOSE, R-AMEND, R-RENAME, R-BOUND).
cofund_audit_test(terms)
# The CLI's JSON and the audit's carry the same reports (node/ledger/report.h)
# on the network of scripts/demo (tests/cli/demo_net.sh).
cofund_audit_test(reports)
# A bundle listing a feed twice (one verdict: refused), bundles from pipes.
cofund_audit_test(bundle_input)
# The policy's other instruments end to end: pool, leasing, awards.
cofund_cli_test(instruments)
# Certification and subsidies end to end: R-CERT, R-AWARD.5, R-SUBSIDY.
cofund_cli_test(subsidy)
cofund_cli_test(returns)
# The fund manager's queries in Chinese (issue 18): tables aligned by display
# width, --unit wan exact, JSON and CSV the same in every language and unit.
cofund_cli_test(i18n_queries)
# Witnesses (docs/format.md "Cosignatures"): homes cosign each other's
# checkpoints as they import bundles (witness_bundle) or apply batches
# (witness_net); a forged line is refused (witness_forged); a home whose key
# needs a passphrase imports without cosigning (witness_passphrase).
cofund_unit(test_cosig LIBS cofund_bundle)
# How many witnesses a feed has, as the nodes count a full set of lines;
# which homes keep a feed's lines.
cofund_unit(test_witnesses LIBS cofund_home)
# How long a node waits between two writes: longer after slow ones.
cofund_unit(test_write_pace LIBS cofund_home cofund_wire)
cofund_audit_test(witness_bundle)
cofund_audit_test(witness_net)
# A node whose link towards a feed's author closes sends the part of the set
# it holds down the feed's tree at once (docs/protocol.md §4).
cofund_cli_test(witness_up_lost)
# Only the homes that keep a feed's lines get them; an auditor two hops
# behind homes that keep nothing asks for them and gets the set.
cofund_cli_test(witness_keepers)
cofund_audit_test(witness_forged)
cofund_audit_test(witness_passphrase)
cofund_fuzz(evidence LIBS cofund_audit)
cofund_unit(test_audit_exit LIBS cofund_audit)
cofund_audit_test(rules_gamed)

# What people read: the language, display widths, units and tables
# (crypto/cf_i18n.h, node/cli/table.h), with the catalogue the build wrote.
cofund_unit(test_i18n LIBS cofund_ledger SOURCES ${PROJECT_SOURCE_DIR}/node/cli/table.c)
set_tests_properties(test_i18n PROPERTIES
  ENVIRONMENT "COFUND_LOCALEDIR=${CMAKE_BINARY_DIR}/share/locale")
add_dependencies(test_i18n cofund_catalogues)

# The other instruments and the node in Chinese and English; JSON/CSV alike in both.
cofund_cli_test(i18n_instruments)
# The commands that write entries in Chinese (issue 18, docs/i18n.md): help by
# display width, messages, plans, refusals, --lang/LANG/config, --unit wan.
cofund_cli_test(i18n_entries)
# The audit in Chinese and in wan; its JSON and statement the same in every
# language (docs/auditing.md "Language and unit").
cofund_audit_test(i18n_audit)

# The Chinese catalogue: every message id of the sources (C, the dashboard's
# scripts, the demo) has a translation, none fuzzy, every format agreeing
# (scripts/i18n check; docs/i18n.md).
add_test(NAME i18n_catalog COMMAND ${PROJECT_SOURCE_DIR}/scripts/i18n check)
