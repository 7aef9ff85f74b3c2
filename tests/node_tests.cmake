# ---- node/ledger ----
cofund_unit(test_entry LIBS cofund_ledger)
cofund_unit(test_amount LIBS cofund_ledger)
cofund_unit(test_caltime LIBS cofund_ledger)
cofund_fuzz(entry LIBS cofund_ledger)

# ---- node/ bundles ----
cofund_unit(test_bundle LIBS cofund_bundle)
cofund_fuzz(bundle LIBS cofund_bundle)
