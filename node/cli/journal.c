/* journal.c — an entry as a row of `log` (one feed) and `register` (every
 * feed, in time order): its time, author, type, amount, the project and
 * program it concerns, what it says, and whether it counts here (R-FORK,
 * R-KEY). One description (render.h), so JSON and CSV carry the same
 * fields; the table's line is built from the same row. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/merkle.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/rules.h"
#include "render.h"
#include "table.h"

#define N(fields) (sizeof(fields) / sizeof(fields)[0])

int journal_feed_load(const ledger_kv *kv, const uint8_t author[32], journal_feed *f)
{
    state_tip tip;
    memset(f, 0, sizeof *f);
    memcpy(f->author, author, 32);
    int err = state_tip_get(kv, author, &tip);
    if (err) return err;
    f->applied = tip.applied;
    err = state_fork_get(kv, author, &f->fork_point);
    f->forked = err == CF_OK;
    if (err && err != CF_ENOTFOUND) return err;
    err = state_member_get(kv, author, &f->member);
    f->have_member = err == CF_OK;
    return err == CF_ENOTFOUND ? CF_OK : err;
}

/* A message for people or machines (render.c's TR). */
#define TR(s) (people ? cf_tr(s) : (s))

/* R-FORK, in words: an applied entry that is disputed ("disputed: cites
 * inv#2, in a feed forked from entry 2"), or an entry of a forked feed past
 * its point, or of a closed key past its closing (R-KEY). Empty when none. */
static void fork_note(const ledger_kv *kv, const journal_feed *f, uint64_t index, bool people,
                      char *out, size_t cap, bool *disputed)
{
    char who[STATE_ID_CAP];
    uint64_t point = 0;
    state_disputed x;
    out[0] = '\0';
    *disputed = index < f->applied && state_disputed_get(kv, f->author, index, &x) == CF_OK;
    if (*disputed) {
        state_member cited;
        ledger_member_label(kv, x.cited_author, who, sizeof who);
        if (state_fork_get(kv, x.cited_author, &point) == CF_OK && x.cited_index >= point)
            snprintf(out, cap, TR(N_("disputed: cites %s#%llu, in a feed forked from entry %llu")),
                     who, (unsigned long long)x.cited_index, (unsigned long long)point);
        else if (state_member_get(kv, x.cited_author, &cited) == CF_OK && cited.closed)
            snprintf(out, cap,
                     cited.has_next
                         ? TR(N_("disputed: cites %s#%llu, in a feed closed at entry %llu (key "
                                 "replaced)"))
                         : TR(N_("disputed: cites %s#%llu, in a feed closed at entry %llu (key "
                                 "retired)")),
                     who, (unsigned long long)x.cited_index, (unsigned long long)cited.closed_at);
    } else if (f->forked && index >= f->fork_point) {
        snprintf(out, cap, TR(N_("not counted: this feed is forked from entry %llu")),
                 (unsigned long long)f->fork_point);
    } else if (f->have_member && f->member.closed && index >= f->member.closed_at) {
        snprintf(out, cap,
                 f->member.has_next ? TR(N_("not counted: this key was replaced at entry %llu"))
                                    : TR(N_("not counted: this key was retired at entry %llu")),
                 (unsigned long long)f->member.closed_at);
    }
}

/* ---- what an entry concerns ------------------------------------------------------ */

static void text_id(entry_text t, char out[STATE_ID_CAP])
{
    size_t n = t.n < STATE_ID_CAP - 1 ? t.n : STATE_ID_CAP - 1;
    if (n) memcpy(out, t.s, n);
    out[n] = '\0';
}

/* A bank's entry's program and project, as its record (state_credit)
 * copies them. */
static void credit_of(const ledger_kv *kv, const entry_ref *r, journal_row *row)
{
    state_credit c;
    if (state_credit_get(kv, r->author, r->index, &c) != CF_OK) return;
    if (!row->program[0]) memcpy(row->program, c.program, STATE_ID_CAP);
    memcpy(row->project, c.project, STATE_ID_CAP);
}

/* The project and program an entry names, or (guarantees, repayments,
 * defaults, compensations, releases) those of the loan it concerns, or (a
 * reversal) those of the entry it reverses; and the amount it carries. */
static void subject(store_txn *txn, const ledger_kv *kv, const entry *e, journal_row *r,
                    int depth)
{
    const entry_ref *ref = NULL;
    r->has_amount = true;
    r->amount_fen = ledger_entry_volume(e);
    switch (e->type) {
    case ENTRY_PROGRAM: text_id(e->body.program.id, r->program); break;
    case ENTRY_PROJECT: text_id(e->body.project.id, r->project); break;
    case ENTRY_CONTRIBUTION:
        text_id(e->body.contribution.project, r->project);
        if (e->body.contribution.has_program) text_id(e->body.contribution.program, r->program);
        break;
    case ENTRY_MATCH:
        text_id(e->body.match.project, r->project);
        text_id(e->body.match.program, r->program);
        break;
    case ENTRY_EXIT: text_id(e->body.exit.project, r->project); break;
    case ENTRY_VALUATION: text_id(e->body.valuation.project, r->project); break;
    case ENTRY_DEPOSIT: text_id(e->body.deposit.program, r->program); break;
    case ENTRY_WITHDRAW: text_id(e->body.withdraw.program, r->program); break;
    case ENTRY_LOAN:
        text_id(e->body.loan.program, r->program);
        text_id(e->body.loan.project, r->project);
        break;
    case ENTRY_GUARANTEE:
        text_id(e->body.guarantee.program, r->program);
        ref = &e->body.guarantee.loan;
        break;
    case ENTRY_REPAY: ref = &e->body.repay.loan; break;
    case ENTRY_DEFAULT: ref = &e->body.loan_default.loan; break;
    case ENTRY_COMPENSATION:
        text_id(e->body.compensation.program, r->program);
        ref = &e->body.compensation.default_ref;
        break;
    case ENTRY_RELEASE:
        text_id(e->body.release.program, r->program);
        ref = &e->body.release.repay;
        break;
    case ENTRY_LEASE:
        text_id(e->body.lease.program, r->program);
        text_id(e->body.lease.project, r->project);
        break;
    case ENTRY_AWARD:
        text_id(e->body.award.program, r->program);
        text_id(e->body.award.project, r->project);
        break;
    case ENTRY_REVERSAL: {
        const uint8_t *bytes;
        size_t len;
        entry x;
        diag d;
        r->amount_fen = e->body.reversal.amount_fen;
        if (depth == 0 &&
            store_entry_get(txn, e->author, e->body.reversal.entry.index, &bytes, &len) == CF_OK &&
            entry_decode(bytes, len, &x, &d) == CF_OK) {
            subject(txn, kv, &x, r, 1);
            r->amount_fen = e->body.reversal.amount_fen;
        }
        break;
    }
    case ENTRY_CLOSE:
        text_id(e->body.close.program, r->program);
        r->has_amount = false;
        break;
    case ENTRY_AMEND:
        text_id(e->body.amend.terms.id, r->program);
        r->has_amount = false;
        break;
    case ENTRY_RENAME:
        if (e->body.rename.has_project) text_id(e->body.rename.project, r->project);
        r->has_amount = false;
        break;
    case ENTRY_BOUND: r->amount_fen = e->body.bound.amount_fen; break;
    default: r->has_amount = false; break;
    }
    if (e->type == ENTRY_PROGRAM || e->type == ENTRY_PROJECT) r->has_amount = false;
    if (ref) credit_of(kv, ref, r);
}

void journal_row_subject(store_txn *txn, const ledger_kv *kv, const entry *e, journal_row *r)
{
    r->project[0] = r->program[0] = '\0';
    subject(txn, kv, e, r, 0);
}

int journal_row_fill(store_txn *txn, const ledger_kv *kv, const journal_feed *f, int32_t tz,
                     uint64_t index, const uint8_t *bytes, size_t len, enum render_for w,
                     journal_row *r)
{
    const bool people = w == RENDER_PEOPLE;
    diag d;
    memset(r, 0, sizeof *r);
    r->feed = f;
    r->index = index;
    r->tz = tz;
    merkle_leaf_hash(bytes, len, r->leaf);
    fork_note(kv, f, index, people, r->note, sizeof r->note, &r->disputed);
    if (!r->note[0] && index >= f->applied)
        snprintf(r->note, sizeof r->note, "%s", TR(N_("not applied")));
    if (entry_decode(bytes, len, &r->e, &d) != CF_OK) {
        snprintf(r->summary, sizeof r->summary, TR(N_("(undecodable: %.400s)")), d.text);
        r->e.type = 0;
        return CF_OK;
    }
    caltime_format(r->e.time_ms, tz, r->time);
    render_summary_for(w, kv, &r->e, r->summary, sizeof r->summary);
    subject(txn, kv, &r->e, r, 0);
    return CF_OK;
}

/* ---- the description ---------------------------------------------------------------- */

#define ROW(x) ((const journal_row *)(x))

static void j_time(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = ROW(row)->e.type == 0;
    v->text = ROW(row)->time;
}

static void j_member(const report_ctx *c, const void *row, report_value *v)
{
    ledger_member_label(c->kv, ROW(row)->feed->author, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void j_feed(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    cf_hex_encode(ROW(row)->feed->author, 32, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static void j_index(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = (int64_t)ROW(row)->index;
}

static void j_type(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = ROW(row)->e.type == 0;
    if (!v->absent) v->text = entry_type_name(ROW(row)->e.type);
}

static void j_amount(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = !ROW(row)->has_amount;
    v->a = ROW(row)->amount_fen;
}

static void j_project(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = ROW(row)->project[0] == '\0';
    v->text = ROW(row)->project;
}

static void j_program(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = ROW(row)->program[0] == '\0';
    v->text = ROW(row)->program;
}

static void j_summary(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->text = ROW(row)->summary;
}

static void j_applied(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ROW(row)->index < ROW(row)->feed->applied;
}

static void j_disputed(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->a = ROW(row)->disputed;
}

static void j_note(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    v->absent = ROW(row)->note[0] == '\0';
    v->text = ROW(row)->note;
}

static void j_leaf(const report_ctx *c, const void *row, report_value *v)
{
    (void)c;
    cf_hex_encode(ROW(row)->leaf, 32, v->buf, sizeof v->buf);
    v->text = v->buf;
}

static const report_field journal_fields[] = {
    {"time", REPORT_TEXT, .get = j_time},
    {"member", REPORT_TEXT, .get = j_member},
    {"feed", REPORT_TEXT, .get = j_feed},
    {"index", REPORT_COUNT, .get = j_index},
    {"type", REPORT_TEXT, .get = j_type},
    {"amount", REPORT_AMOUNT, .get = j_amount},
    {"project", REPORT_TEXT, .get = j_project},
    {"program", REPORT_TEXT, .get = j_program},
    {"summary", REPORT_TEXT, .get = j_summary},
    {"applied", REPORT_BOOL, .get = j_applied},
    {"disputed", REPORT_BOOL, .get = j_disputed},
    {"note", REPORT_TEXT, .get = j_note},
    {"leaf", REPORT_TEXT, .get = j_leaf},
};
const report_desc journal_desc = {journal_fields, N(journal_fields)};

/* ---- the table ------------------------------------------------------------------------
 * FIRST (the index, or member#index), TIME (cli_time_text, in the network's
 * zone), TYPE (as wide as the widest type's word), AMOUNT (right-aligned, in
 * the unit, as wide as the largest amount an entry can carry:
 * 10,000,000,000,000.00 yuan) and what the entry says, its type and amount
 * not repeated, then its note in brackets. Printed as it comes (a journal
 * can hold millions of entries): fixed widths, by display width. */
enum { J_FIRST, J_TIME, J_TYPE, J_AMOUNT, J_WHAT, J__COLS };

static int widest(int w, const char *s)
{
    int n = (int)cf_text_width(s);
    return n > w ? n : w;
}

void journal_table_begin(journal_table *t, const char *first, int first_width, int32_t tz)
{
    char amount[64], x[CLI_TIME_BYTES];
    const char *head[J__COLS] = {first, _("TIME"), _("TYPE"),
                                 cli_amount_heading(_("AMOUNT"), amount, sizeof amount),
                                 _("WHAT")};
    memset(t, 0, sizeof *t);
    t->right[J_FIRST] = first_width > 0;
    t->right[J_AMOUNT] = true;
    t->width[J_FIRST] = first_width > 0 ? first_width : -first_width;
    /* 2026-11-11 12:00 UTC: a two-digit month and day. */
    cli_time_text(1794398400000u, tz, x);
    t->width[J_TIME] = widest(0, x);
    for (int k = 1; k < ENTRY__TYPES; k++)
        t->width[J_TYPE] = widest(t->width[J_TYPE], render_type_text((enum entry_type)k));
    static const int64_t largest[] = {1000000000000000, 999999999999999};
    for (size_t i = 0; i < sizeof largest / sizeof largest[0]; i++) {
        char a[CLI_AMOUNT_BYTES];
        cli_amount_text(largest[i], a);
        t->width[J_AMOUNT] = widest(t->width[J_AMOUNT], a);
    }
    for (int c = 0; c < J_WHAT; c++) t->width[c] = widest(t->width[c], head[c]);
    cli_print_row(stdout, J__COLS, head, t->width, t->right);
}

/* The summary (render_summary: "contribution 5,000,000.00 to robotics ...")
 * without its leading type word; a leading amount (and the unit it names)
 * goes to *amount. */
static const char *what_of(const char *type, const char *summary, char amount[CLI_AMOUNT_BYTES])
{
    size_t n = strlen(type), k = 0;
    if (strncmp(summary, type, n) == 0 && summary[n] == ' ') summary += n + 1;
    while (summary[k] && (isdigit((unsigned char)summary[k]) || summary[k] == ',' ||
                          summary[k] == '.'))
        k++;
    if (k > 0 && k < CLI_AMOUNT_BYTES && isdigit((unsigned char)summary[0]) &&
        (summary[k] == ' ' || summary[k] == '\0')) {
        memcpy(amount, summary, k);
        amount[k] = '\0';
        summary += k;
        while (*summary == ' ') summary++;
        size_t u = strlen(cli_unit_name());
        if (strncmp(summary, cli_unit_name(), u) == 0 && (summary[u] == ' ' || !summary[u]))
            summary += u;
        while (*summary == ' ') summary++;
    }
    return summary;
}

void journal_table_line(const journal_table *t, const journal_row *r, const char *first)
{
    const char *type = r->e.type ? render_type_text(r->e.type) : "?";
    char amount[CLI_AMOUNT_BYTES] = "", time[CLI_TIME_BYTES] = "", what[sizeof r->summary + 200];
    if (r->e.type) cli_time_text(r->e.time_ms, r->tz, time);
    snprintf(what, sizeof what, "%s%s%s%s", what_of(type, r->summary, amount),
             r->note[0] ? "  [" : "", r->note, r->note[0] ? "]" : "");
    const char *cells[J__COLS] = {first, time, type, amount, what};
    cli_print_row(stdout, J__COLS, cells, t->width, t->right);
}
