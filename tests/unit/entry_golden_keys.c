/* entry_golden_keys.c — golden entries of a member's key replaced or the
 * member retired (R-KEY), built both ways (entry_golden.h). */
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
