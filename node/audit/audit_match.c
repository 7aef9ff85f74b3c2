/* audit_match.c — the audit's "match after exit" finding (docs/auditing.md):
 * a match made after its counterpart's earlier exit. R-MATCH.6 judges a
 * match against the counterpart's feed as far as the match says its author
 * had read it, which a fund may state short on purpose; the audit judges it
 * by time instead: the counterpart's position in the project, counting its
 * entries dated at or before the match (its exits among them), must cover,
 * at the program's ratio, what the program allocated against it there up to
 * and including this match. A shortfall can only come from such an exit
 * (without one, the counterpart holds every contribution the program ever
 * cited, each dated no later than this match), so the finding names it so.
 *
 * Judged as each match is applied, when the counterpart's entries dated up
 * to the match are all applied by then (its feed is applied past that time,
 * or to its end in the bundle); otherwise after the replay, from the state
 * it ends with.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "crypto/cf_error.h"
#include "crypto/cf_i18n.h"
#include "ledger/amount.h"
#include "ledger/caltime.h"
#include "ledger/entry.h"
#include "ledger/rules.h"
#include "ledger/state.h"

/* A match judged after the replay: one per counterpart. */
typedef struct {
    uint8_t fund[32], counterpart[32];
    uint64_t index, time_ms;
    int64_t allocated; /* the program's against the counterpart, this match included */
    char program[STATE_ID_CAP], project[STATE_ID_CAP];
} later;

static later *laters;
static size_t nlaters, laters_cap;

/* den * allocated <= num * held, exactly. */
static bool covers(int64_t held, int64_t allocated, const state_program *pg)
{
    __extension__ typedef __int128 wide;
    return (wide)pg->ratio_den * allocated <= (wide)pg->ratio_num * held;
}

static int judge(audit *a, const uint8_t fund[32], uint64_t index, uint64_t time_ms,
                 const char *program, const char *project, const uint8_t counterpart[32],
                 int64_t allocated)
{
    state_program pg;
    int64_t held;
    int err = state_program_get(&a->kv, program, strlen(program), &pg);
    if (err) return err;
    if ((err = state_holding_by_time(&a->kv, counterpart, project, time_ms, &held)) != 0)
        return err;
    if (covers(held, allocated, &pg)) return CF_OK;
    audit_finding *x = audit__find(a, FIND_MATCH_AFTER_EXIT, a->file_bytes);
    if (x == NULL) return CF_ENOMEM;
    char who[STATE_ID_CAP], have[AMOUNT_TEXT_BYTES], need[AMOUNT_TEXT_BYTES];
    char t[CALTIME_TEXT_BYTES];
    x->has_feed = x->has_index = true;
    memcpy(x->author, fund, 32);
    x->index = index;
    snprintf(x->rule, sizeof x->rule, "match after exit");
    ledger_member_label(&a->kv, counterpart, who, sizeof who);
    amount_format(held, have);
    __extension__ typedef __int128 wide;
    wide n = ((wide)allocated * pg.ratio_den + pg.ratio_num - 1) / pg.ratio_num;
    amount_format(n > INT64_MAX ? INT64_MAX : (int64_t)n, need);
    state_network net;
    caltime_format(time_ms, state_network_get(&a->kv, &net) == CF_OK ? net.tz_min : 0, t);
    audit__say(x, _("program %s's matches in project %s stand on %s of %s's capital, but as of "
                  "the match (%s) %s held %s there, having exited: the fund invested alone"),
               program, project, need, who, t, who, have);
    return CF_OK;
}

/* Whether every entry of the counterpart's feed dated up to time_ms is
 * applied: its feed is applied past that time, or to its end. */
static bool settled(audit *a, const uint8_t counterpart[32], uint64_t time_ms)
{
    state_tip tip;
    const audit_feed *f = audit__feed_by_author(a, counterpart);
    if (f == NULL) return true; /* nothing of it will come */
    if (f->from + f->applied >= f->size) return true;
    return state_tip_get(&a->kv, counterpart, &tip) == CF_OK && tip.applied > 0 &&
           tip.last_time > time_ms;
}

int audit__match_applied(audit *a, const entry *e)
{
    const body_match *b = &e->body.match;
    char program[STATE_ID_CAP], project[STATE_ID_CAP];
    if (b->program.n >= STATE_ID_CAP || b->project.n >= STATE_ID_CAP) return CF_OK;
    memcpy(program, b->program.s, b->program.n);
    program[b->program.n] = '\0';
    memcpy(project, b->project.s, b->project.n);
    project[b->project.n] = '\0';
    for (size_t i = 0; i < b->ncites; i++) {
        const uint8_t *x = b->cites[i].author;
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) seen = memcmp(b->cites[k].author, x, 32) == 0;
        if (seen) continue;
        int64_t allocated;
        int err = state_allocated_get(&a->kv, program, project, x, &allocated);
        if (err) return err;
        if (settled(a, x, e->time_ms)) {
            if ((err = judge(a, e->author, e->index, e->time_ms, program, project, x,
                             allocated)) != 0)
                return err;
            continue;
        }
        if (nlaters == laters_cap) {
            size_t cap = laters_cap ? 2 * laters_cap : 64;
            later *n = realloc(laters, cap * sizeof *n);
            if (n == NULL) return CF_ENOMEM;
            laters = n;
            laters_cap = cap;
        }
        later *l = &laters[nlaters++];
        memcpy(l->fund, e->author, 32);
        memcpy(l->counterpart, x, 32);
        l->index = e->index;
        l->time_ms = e->time_ms;
        l->allocated = allocated;
        memcpy(l->program, program, sizeof program);
        memcpy(l->project, project, sizeof project);
    }
    return CF_OK;
}

int audit__match_finish(audit *a)
{
    int err = CF_OK;
    for (size_t i = 0; i < nlaters && err == CF_OK; i++)
        err = judge(a, laters[i].fund, laters[i].index, laters[i].time_ms, laters[i].program,
                    laters[i].project, laters[i].counterpart, laters[i].allocated);
    free(laters);
    laters = NULL;
    nlaters = laters_cap = 0;
    return err;
}
