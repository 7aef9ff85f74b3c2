/* entry_golden_corrections.c — golden entries of the corrections (issue 13):
 * a reversal with and without its read point (R-REVERSE), a program closed
 * (R-CLOSE), amended (R-AMEND: a matching program's and a pool's terms), a
 * project and the network renamed (R-RENAME), the sanity bound (R-BOUND),
 * built both ways (entry_golden.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "entry_doc.h"
#include "entry_golden.h"
#include "entry_golden_internal.h"
#include "ledger/entry.h"

#define REASON "typo: 500,000 was meant"
#define RENAMED "Acme Robotics Ltd"
#define CLOSE_AT (T0_MS + UINT64_C(86400000) * 180)
#define BOUND_FEN INT64_C(100000000000) /* 1,000,000,000.00 */

void make_reversal(entry *e)
{
    golden_env_make(e, ENTRY_REVERSAL, 301, 5);
    body_reversal *b = &e->body.reversal;
    golden_fill32(b->entry.author, 0xa0); /* its own feed */
    b->entry.index = 300;
    golden_fill32(b->entry.leaf, 0x60);
    b->amount_fen = CONTRIB_FEN;
    b->reason = TXT(REASON);
    b->has_read = true;
    b->read = 12;
}

void doc_reversal(doc *d)
{
    golden_env_doc(d, ENTRY_REVERSAL, 301, 5);
    m_set(&d->body, "read", V_uint(d, 12));
    m_set(&d->body, "entry", ref_val(d, 0xa0, 300, 0x60));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CONTRIB_FEN));
    m_set(&d->body, "reason", V_text(d, REASON));
}

/* A compensation's reversal: amount 0, no read point. */
void make_reversal_min(entry *e)
{
    make_reversal(e);
    e->body.reversal.amount_fen = 0;
    e->body.reversal.has_read = false;
    e->body.reversal.read = 0;
}

void doc_reversal_min(doc *d)
{
    doc_reversal(d);
    m_del(&d->body, "read");
    m_set(&d->body, "amount", V_uint(d, 0));
}

void make_close(entry *e)
{
    golden_env_make(e, ENTRY_CLOSE, 10, 10);
    e->body.close.program = TXT(PROGRAM_ID);
    e->body.close.at = CLOSE_AT;
}

void doc_close(doc *d)
{
    golden_env_doc(d, ENTRY_CLOSE, 10, 10);
    m_set(&d->body, "at", V_uint(d, CLOSE_AT));
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
}

/* A matching program's ratio, window, cap and budget from a date. */
void make_amend(entry *e)
{
    golden_env_make(e, ENTRY_AMEND, 11, 11);
    body_amend *b = &e->body.amend;
    b->terms.id = TXT(PROGRAM_ID);
    b->terms.start_ms = CLOSE_AT;
    b->has_ratio = true;
    b->terms.ratio_num = 1;
    b->terms.ratio_den = 2;
    b->has_window = true;
    b->terms.window_days = 90;
    b->terms.has_cap = true;
    b->terms.cap_fen = CAP_FEN;
    b->terms.has_budget = true;
    b->terms.budget_fen = BUDGET_FEN;
}

void doc_amend(doc *d)
{
    golden_env_doc(d, ENTRY_AMEND, 11, 11);
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
    m_set(&d->body, "from", V_uint(d, CLOSE_AT));
    m_set(&d->body, "ratio", V_ratio(d, 1, 2));
    m_set(&d->body, "window_days", V_uint(d, 90));
    m_set(&d->body, "cap", V_uint(d, (uint64_t)CAP_FEN));
    m_set(&d->body, "budget", V_uint(d, (uint64_t)BUDGET_FEN));
}

/* A pool's share, leverage and size. */
void make_amend_pool(entry *e)
{
    golden_env_make(e, ENTRY_AMEND, 11, 11);
    body_amend *b = &e->body.amend;
    b->terms.id = TXT(PROGRAM_ID);
    b->terms.start_ms = CLOSE_AT;
    b->has_share = true;
    b->terms.share_num = 1;
    b->terms.share_den = 2;
    b->has_leverage = true;
    b->terms.leverage = 5;
    b->terms.has_size = true;
    b->terms.size_fen = BUDGET_FEN;
}

void doc_amend_pool(doc *d)
{
    golden_env_doc(d, ENTRY_AMEND, 11, 11);
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
    m_set(&d->body, "from", V_uint(d, CLOSE_AT));
    m_set(&d->body, "share", V_ratio(d, 1, 2));
    m_set(&d->body, "leverage", V_uint(d, 5));
    m_set(&d->body, "size", V_uint(d, (uint64_t)BUDGET_FEN));
}

void make_rename(entry *e)
{
    golden_env_make(e, ENTRY_RENAME, 12, 12);
    e->body.rename.name = TXT(RENAMED);
    e->body.rename.has_project = true;
    e->body.rename.project = TXT(PROJECT_ID);
}

void doc_rename(doc *d)
{
    golden_env_doc(d, ENTRY_RENAME, 12, 12);
    m_set(&d->body, "name", V_text(d, RENAMED));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
}

/* The network renamed: no project. */
void make_rename_min(entry *e)
{
    make_rename(e);
    e->body.rename.name = TXT(NET_NAME);
    e->body.rename.has_project = false;
    memset(&e->body.rename.project, 0, sizeof e->body.rename.project);
}

void doc_rename_min(doc *d)
{
    doc_rename(d);
    m_del(&d->body, "project");
    m_set(&d->body, "name", V_text(d, NET_NAME));
}

void make_bound(entry *e)
{
    golden_env_make(e, ENTRY_BOUND, 13, 13);
    e->body.bound.amount_fen = BOUND_FEN;
}

void doc_bound(doc *d)
{
    golden_env_doc(d, ENTRY_BOUND, 13, 13);
    m_set(&d->body, "amount", V_uint(d, (uint64_t)BOUND_FEN));
}

/* A cap and a budget removed from a date: both 0. */
void make_amend_none(entry *e)
{
    make_amend(e);
    body_amend *b = &e->body.amend;
    b->has_ratio = false;
    b->terms.ratio_num = b->terms.ratio_den = 0;
    b->has_window = false;
    b->terms.window_days = 0;
    b->terms.cap_fen = 0;
    b->terms.budget_fen = 0;
}

void doc_amend_none(doc *d)
{
    doc_amend(d);
    m_del(&d->body, "ratio");
    m_del(&d->body, "window_days");
    m_set(&d->body, "cap", V_uint(d, 0));
    m_set(&d->body, "budget", V_uint(d, 0));
}
