/* state_kv.h — the ledger state (node/ledger/state.h) kept in the store's
 * STATE table, inside the caller's transaction: the rules' writes commit or
 * roll back together with the entries they judged. */
#ifndef COFUND_STATE_KV_H
#define COFUND_STATE_KV_H

#include "ledger/state.h"
#include "store/store.h"

void state_kv_init(ledger_kv *kv, store_txn *txn);

#endif
