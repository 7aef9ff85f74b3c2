/* entry_golden.h — representative entries of every type for the test_entry_*
 * files, built both ways (as entry structs for entry_encode, and as
 * entry_doc.h documents), with their golden hex and a field-by-field
 * comparison.
 */
#ifndef COFUND_ENTRY_GOLDEN_H
#define COFUND_ENTRY_GOLDEN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "entry_doc.h"
#include "ledger/entry.h"

#define TXT(s) entry_text_of(s, strlen(s))

/* make_* fill an entry, doc_* reset a document to the same entry. */
void make_genesis(entry *e);
void doc_genesis(doc *d);
void make_member(entry *e);
void doc_member(doc *d);
void make_program(entry *e);
void doc_program(doc *d);
void make_program_min(entry *e); /* no cap, no budget, two counterpart roles */
void doc_program_min(doc *d);
void make_project(entry *e);
void doc_project(doc *d);
void make_project_min(entry *e);
void doc_project_min(doc *d);
void make_contribution(entry *e);
void doc_contribution(doc *d);
void make_contribution_min(entry *e);
void doc_contribution_min(doc *d);
void make_match(entry *e);
void doc_match(doc *d);
void make_exit(entry *e);
void doc_exit(doc *d);
/* The other instruments: programs of the other kinds and their entries. */
void make_program_pool(entry *e);
void doc_program_pool(doc *d);
void make_program_leasing(entry *e); /* bounds for two parts of three */
void doc_program_leasing(doc *d);
void make_program_award(entry *e);
void doc_program_award(doc *d);
void make_deposit(entry *e);
void doc_deposit(doc *d);
void make_withdraw(entry *e);
void doc_withdraw(doc *d);
void make_loan(entry *e);
void doc_loan(doc *d);
void make_guarantee(entry *e);
void doc_guarantee(doc *d);
void make_repay(entry *e);
void doc_repay(doc *d);
void make_default(entry *e);
void doc_default(doc *d);
void make_compensation(entry *e);
void doc_compensation(doc *d);
void make_release(entry *e);
void doc_release(doc *d);
void make_lease(entry *e);
void doc_lease(doc *d);
void make_award(entry *e);
void doc_award(doc *d);
/* A member's key replaced, the member retired (R-KEY). */
void make_rekey(entry *e);
void doc_rekey(doc *d);
void make_retire(entry *e);
void doc_retire(doc *d);
/* The governance's recovery keys and succession (R-SUCCEED). */
void make_genesis_recovery(entry *e);
void doc_genesis_recovery(doc *d);
void make_succession(entry *e);
void doc_succession(doc *d);
/* The corrections (issue 13, entry_golden_corrections.c). */
void make_reversal(entry *e); /* a contribution's, with its read point */
void doc_reversal(doc *d);
void make_reversal_min(entry *e); /* a compensation's: 0.00, no read point */
void doc_reversal_min(doc *d);
void make_close(entry *e);
void doc_close(doc *d);
void make_amend(entry *e); /* a matching program's ratio, window, cap, budget */
void doc_amend(doc *d);
void make_amend_pool(entry *e); /* a pool's share, leverage, size */
void doc_amend_pool(doc *d);
void make_amend_none(entry *e); /* a cap and a budget removed (0) */
void doc_amend_none(doc *d);
void make_rename(entry *e); /* a project's */
void doc_rename(doc *d);
void make_rename_min(entry *e); /* the network's */
void doc_rename_min(doc *d);
void make_bound(entry *e);
void doc_bound(doc *d);

/* Certification and subsidies (R-CERT, R-SUBSIDY, R-AWARD.5). */
void make_program_subsidy(entry *e);
void doc_program_subsidy(doc *d);
void make_program_award_certified(entry *e);
void doc_program_award_certified(doc *d);
void make_certify(entry *e); /* first-set, with until */
void doc_certify(doc *d);
void make_certify_demonstration(entry *e); /* year and batch */
void doc_certify_demonstration(doc *d);
void make_revoke(entry *e);
void doc_revoke(doc *d);
void make_subsidy(entry *e); /* a sale */
void doc_subsidy(doc *d);
void make_subsidy_lease(entry *e);
void doc_subsidy_lease(doc *d);

/* Returns: exits with proceeds, valuation marks (R-MARK). */
void make_exit_proceeds(entry *e);
void doc_exit_proceeds(doc *d);
void make_exit_proceeds_zero(entry *e); /* proceeds 0 */
void doc_exit_proceeds_zero(doc *d);
void make_valuation(entry *e);
void doc_valuation(doc *d);
void make_valuation_zero(entry *e); /* written off */
void doc_valuation_zero(doc *d);

/* Display names (R-RENAME): a member's, registered and corrected. */
void make_member_display(entry *e);
void doc_member_display(doc *d);
void make_rename_member(entry *e);
void doc_rename_member(doc *d);

/* A reference {leaf, index, author} with 32-byte patterns, as a document
 * map in d's pool. */
void ref_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf);
/* The same as a value. */
val ref_val(doc *d, uint8_t author, uint64_t index, uint8_t leaf);

/* A citation with 32-byte patterns starting at author and leaf. */
void cite_make(entry_cite *c, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen);
/* The same citation as a document map in d's pool. */
void cite_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen);

struct golden {
    const char *name;
    void (*make)(entry *);
    void (*doc)(doc *);
    const char *hex;
};

#define NGOLDENS 49
extern const struct golden goldens[NGOLDENS];

/* The bytes of goldens[i] in out[0..ENTRY_BYTES_MAX); returns their length. */
size_t golden_bytes(size_t i, uint8_t *out);

/* Resets g_doc to the golden entry called name. */
void doc_by_name(const char *name);

/* Put v at `path` of g_doc: an envelope key, "body", "body.x", or
 * "body.cites[0]..." (which makes the match cite one entry). */
void doc_put_val(const char *path, val v);
/* doc_put_val of the raw hex item. */
void doc_put(const char *path, const char *hex);

/* Every field of a and b is equal (texts by content). */
void entry_equal(const entry *a, const entry *b);

#endif
