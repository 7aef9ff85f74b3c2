/* entry_golden_keys.c — golden entries of a member's key replaced or the
 * member retired (R-KEY), and of the governance's recovery keys and
 * succession (R-SUCCEED), built both ways (entry_golden.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

#define CLOSE 3 /* the closed feed's entries 0, 1 and 2 stand */

void make_rekey(entry *e)
{
    golden_env_make(e, ENTRY_REKEY, 8, 8);
    e->body.rekey.name = TXT(INVESTOR);
    golden_fill32(e->body.rekey.key, 0x70);
    e->body.rekey.close = CLOSE;
}

void doc_rekey(doc *d)
{
    golden_env_doc(d, ENTRY_REKEY, 8, 8);
    m_set(&d->body, "name", V_text(d, INVESTOR));
    m_set(&d->body, "close", V_uint(d, CLOSE));
    m_set(&d->body, "key", V_bytes(d, 0x70, 32));
}

void make_retire(entry *e)
{
    golden_env_make(e, ENTRY_RETIRE, 9, 9);
    e->body.retire.name = TXT(INVESTOR);
    e->body.retire.close = CLOSE;
}

void doc_retire(doc *d)
{
    golden_env_doc(d, ENTRY_RETIRE, 9, 9);
    m_set(&d->body, "close", V_uint(d, CLOSE));
    m_set(&d->body, "name", V_text(d, INVESTOR));
}

/* A genesis naming three recovery keys (0x20…, 0x40…, 0x60…), quorum 2. */
void make_genesis_recovery(entry *e)
{
    make_genesis(e);
    e->body.genesis.has_recovery = e->body.genesis.has_quorum = true;
    e->body.genesis.quorum = 2;
    e->body.genesis.recovery.n = 3;
    for (size_t i = 0; i < 3; i++) golden_fill32(e->body.genesis.recovery.keys[i], (uint8_t)(0x20 * (i + 1)));
}

void doc_genesis_recovery(doc *d)
{
    doc_genesis(d);
    val keys[3] = {V_bytes(d, 0x20, 32), V_bytes(d, 0x40, 32), V_bytes(d, 0x60, 32)};
    m_set(&d->body, "recovery", V_array(d, 3, keys));
    m_set(&d->body, "quorum", V_uint(d, 2));
}

/* The succession of governance key 0x30… closing at 5, signed by the
 * recovery keys 0x20… and 0x40… (patterns, not real signatures: the codec
 * does not verify them; R-SUCCEED.2 does). */
void make_succession(entry *e)
{
    golden_env_make(e, ENTRY_SUCCESSION, 0, 5);
    body_succession *b = &e->body.succession;
    golden_fill32(b->prev, 0x30);
    b->close = 5;
    b->sigs.n = 2;
    for (size_t i = 0; i < 2; i++) {
        golden_fill32(b->sigs.keys[i], (uint8_t)(0x20 * (i + 1)));
        for (size_t k = 0; k < 64; k++) b->sigs.sigs[i][k] = (uint8_t)(0x80 + 0x40 * i + k);
    }
}

void doc_succession(doc *d)
{
    golden_env_doc(d, ENTRY_SUCCESSION, 0, 5);
    val one[2] = {V_bytes(d, 0x20, 32), V_bytes(d, 0x80, 64)};
    val two[2] = {V_bytes(d, 0x40, 32), V_bytes(d, 0xc0, 64)};
    val sigs[2] = {V_array(d, 2, one), V_array(d, 2, two)};
    m_set(&d->body, "prev", V_bytes(d, 0x30, 32));
    m_set(&d->body, "close", V_uint(d, 5));
    m_set(&d->body, "sigs", V_array(d, 2, sigs));
}
