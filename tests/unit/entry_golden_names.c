/* entry_golden_names.c — golden entries of members' display names
 * (docs/rules.md R-RENAME): a member registered with a display name, and a
 * member's display name corrected, built both ways (entry_golden.h). Their
 * bytes come from tests/unit/entry_golden_names.py. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

#define DISPLAY "\xe6\xb9\x98\xe6\xb1\x9f\xe8\xb5\x84\xe6\x9c\xac" /* 湘江资本 */
/* 湘江资本（二期）: full-width parentheses */
#define REDISPLAY DISPLAY "\xef\xbc\x88\xe4\xba\x8c\xe6\x9c\x9f\xef\xbc\x89"

void make_member_display(entry *e)
{
    golden_env_make(e, ENTRY_MEMBER, 22, 6);
    golden_fill32(e->body.member.key, 0x10);
    e->body.member.role = ROLE_INVESTOR;
    e->body.member.name = TXT(INVESTOR);
    e->body.member.has_display = true;
    e->body.member.display = TXT(DISPLAY);
}

void doc_member_display(doc *d)
{
    golden_env_doc(d, ENTRY_MEMBER, 22, 6);
    m_set(&d->body, "display", V_text(d, DISPLAY));
    m_set(&d->body, "key", V_bytes(d, 0x10, 32));
    m_set(&d->body, "role", V_text(d, "investor"));
    m_set(&d->body, "name", V_text(d, INVESTOR));
}

void make_rename_member(entry *e)
{
    golden_env_make(e, ENTRY_RENAME, 23, 6);
    e->body.rename.name = TXT(REDISPLAY);
    e->body.rename.has_member = true;
    e->body.rename.member = TXT(INVESTOR);
}

void doc_rename_member(doc *d)
{
    golden_env_doc(d, ENTRY_RENAME, 23, 6);
    m_set(&d->body, "member", V_text(d, INVESTOR));
    m_set(&d->body, "name", V_text(d, REDISPLAY));
}
