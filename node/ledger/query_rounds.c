/* query_rounds.c — a position's parts (query.h): what each holder took out
 * of a project (its exits), and what it put into each round. Read from the
 * records of contributions, matches and exits and their reversals (state.h),
 * as of any time. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "rules.h"

/* An entry counts as of as_of when dated by then and not reversed by then. */
static int counts(const ledger_kv *kv, const uint8_t author[32], uint64_t index,
                  uint64_t time_ms, uint64_t as_of, bool *yes)
{
    bool reversed = false;
    *yes = false;
    if (time_ms > as_of) return CF_OK;
    int err = query_reversed_by(kv, author, index, as_of, &reversed);
    *yes = err == CF_OK && !reversed;
    return err;
}

/* ---- exits -------------------------------------------------------------------- */

struct holders_ctx {
    const ledger_kv *kv;
    query_holders *out;
};

static int key_visit(void *arg, const state_member *m)
{
    query_holders *o = ((struct holders_ctx *)arg)->out;
    if (memcmp(m->key, m->identity, 32) == 0) return CF_OK;
    int err = cf_reserve((void **)&o->keys, &o->keys_cap, o->nkeys, sizeof *o->keys, 8);
    if (err) return err;
    memcpy(o->keys[o->nkeys].key, m->key, 32);
    memcpy(o->keys[o->nkeys++].identity, m->identity, 32);
    return CF_OK;
}

static int operator_visit(void *arg, const state_program *p)
{
    struct holders_ctx *c = arg;
    query_holders *o = c->out;
    if (p->pkind != PROGRAM_MATCH) return CF_OK;
    int err = cf_reserve((void **)&o->ops, &o->ops_cap, o->nops, sizeof *o->ops, 8);
    if (err == CF_OK) err = query_identity(c->kv, p->operator_key, o->ops[o->nops].identity);
    if (err) return err;
    memcpy(o->ops[o->nops++].program, p->id, STATE_ID_CAP);
    return CF_OK;
}

int query_holders_load(const ledger_kv *kv, query_holders *out)
{
    struct holders_ctx c = {kv, out};
    memset(out, 0, sizeof *out);
    int err = state_members_each(kv, key_visit, &c);
    return err ? err : state_programs_each(kv, operator_visit, &c);
}

void query_holders_free(query_holders *h)
{
    free(h->keys);
    free(h->ops);
    memset(h, 0, sizeof *h);
}

/* Visit each key of identity: itself, and a rekeyed member's others. */
static int keys_of(const query_holders *h, const uint8_t identity[32],
                   int (*fn)(void *arg, const uint8_t key[32]), void *arg)
{
    int err = fn(arg, identity);
    for (size_t i = 0; err == CF_OK && i < h->nkeys; i++)
        if (memcmp(h->keys[i].identity, identity, 32) == 0) err = fn(arg, h->keys[i].key);
    return err;
}

struct exited_ctx {
    const ledger_kv *kv;
    const char *project;
    uint64_t as_of;
    int64_t sum_fen;
};

static int exit_visit(void *arg, const state_entry_rec *x)
{
    struct exited_ctx *c = arg;
    bool yes;
    int err;
    if (x->type != ENTRY_EXIT || strcmp(c->project, x->project) != 0) return CF_OK;
    if ((err = counts(c->kv, x->author, x->index, x->time_ms, c->as_of, &yes)) != 0 || !yes)
        return err;
    return amount_add(c->sum_fen, x->amount_fen, &c->sum_fen) ? CF_OK : CF_EOVERFLOW;
}

static int contribution_visit(void *arg, const state_contribution *sc)
{
    struct exited_ctx *c = arg;
    bool yes;
    int err;
    if (strcmp(c->project, sc->project) != 0) return CF_OK;
    if ((err = counts(c->kv, sc->author, sc->index, sc->time_ms, c->as_of, &yes)) != 0 || !yes)
        return err;
    return amount_add(c->sum_fen, sc->amount_fen, &c->sum_fen) ? CF_OK : CF_EOVERFLOW;
}

static int key_exits(void *arg, const uint8_t key[32])
{
    struct exited_ctx *c = arg;
    return state_entry_recs_of(c->kv, key, exit_visit, c);
}

static int key_contributions(void *arg, const uint8_t key[32])
{
    struct exited_ctx *c = arg;
    return state_contributions_of(c->kv, key, contribution_visit, c);
}

int query_exited(const ledger_kv *kv, const query_holders *h, const uint8_t identity[32],
                 const char *project, uint64_t as_of, int64_t net_fen, int64_t *exited_fen)
{
    struct exited_ctx c = {kv, project, as_of, 0};
    int64_t deployed = 0;
    bool operates = false;
    int err = CF_OK;
    *exited_fen = 0;
    for (size_t i = 0; err == CF_OK && i < h->nops; i++) {
        state_series s;
        int64_t v;
        if (memcmp(h->ops[i].identity, identity, 32) != 0) continue;
        operates = true;
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, h->ops[i].program, project);
        if ((err = state_series_at(kv, &s, as_of, &v)) == CF_OK && !amount_add(deployed, v, &deployed))
            err = CF_EOVERFLOW;
    }
    if (err == CF_OK) err = keys_of(h, identity, operates ? key_contributions : key_exits, &c);
    if (err) return err;
    if (!operates) {
        *exited_fen = c.sum_fen;
        return CF_OK;
    }
    /* position = matches + contributions - exits */
    int64_t in;
    if (!amount_add(deployed, c.sum_fen, &in)) return CF_EOVERFLOW;
    *exited_fen = in > net_fen ? in - net_fen : 0;
    return CF_OK;
}

/* ---- round by round ------------------------------------------------------------ */

typedef struct {
    query_round_position p;
    char name[STATE_ID_CAP]; /* the holder's, for the order */
} round_item;

struct rounds_ctx {
    const ledger_kv *kv;
    const uint8_t *holder;
    const char *project;
    uint64_t as_of;
    round_item *items;
    size_t n, cap;
};

static int round_add(struct rounds_ctx *c, const uint8_t author[32], const char *project,
                     const char *round, int64_t invested_fen, int64_t exited_fen)
{
    uint8_t id[32];
    int err;
    if (c->project && strcmp(c->project, project) != 0) return CF_OK;
    if ((err = query_identity(c->kv, author, id)) != 0) return err;
    if (c->holder && memcmp(c->holder, id, 32) != 0) return CF_OK;
    if ((err = cf_reserve((void **)&c->items, &c->cap, c->n, sizeof *c->items, 32)) != 0)
        return err;
    round_item *r = &c->items[c->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->p.project, sizeof r->p.project, "%s", project);
    snprintf(r->p.round, sizeof r->p.round, "%s", round);
    memcpy(r->p.holder, id, 32);
    r->p.invested_fen = invested_fen;
    r->p.exited_fen = exited_fen;
    return CF_OK;
}

static int round_contribution(void *arg, const state_contribution *sc)
{
    struct rounds_ctx *c = arg;
    bool yes;
    int err = counts(c->kv, sc->author, sc->index, sc->time_ms, c->as_of, &yes);
    if (err || !yes) return err;
    return round_add(c, sc->author, sc->project, sc->round, sc->amount_fen, 0);
}

static int round_rec(void *arg, const state_entry_rec *x)
{
    struct rounds_ctx *c = arg;
    bool yes;
    int err = counts(c->kv, x->author, x->index, x->time_ms, c->as_of, &yes);
    if (err || !yes) return err;
    if (x->type == ENTRY_MATCH) return round_add(c, x->author, x->project, x->round, x->amount_fen, 0);
    return round_add(c, x->author, x->project, "", 0, x->amount_fen);
}

static int round_key(void *arg, const uint8_t key[32])
{
    struct rounds_ctx *c = arg;
    int err = state_contributions_of(c->kv, key, round_contribution, c);
    return err ? err : state_entry_recs_of(c->kv, key, round_rec, c);
}

/* A round's key: project, holder, round; exits ("") after every round. */
static int round_cmp(const round_item *x, const round_item *y, bool by_name)
{
    int n = strcmp(x->p.project, y->p.project);
    if (n == 0 && by_name) n = strcmp(x->name, y->name);
    if (n == 0) n = memcmp(x->p.holder, y->p.holder, 32);
    if (n == 0 && (x->p.round[0] == '\0') != (y->p.round[0] == '\0'))
        n = x->p.round[0] == '\0' ? 1 : -1;
    return n ? n : strcmp(x->p.round, y->p.round);
}

static int by_key(const void *a, const void *b)
{
    return round_cmp(a, b, false);
}

static int by_name(const void *a, const void *b)
{
    return round_cmp(a, b, true);
}

int query_positions_by_round(const ledger_kv *kv, const uint8_t *holder, const char *project,
                             uint64_t as_of, query_round_fn fn, void *arg)
{
    struct rounds_ctx c = {.kv = kv, .holder = holder, .project = project, .as_of = as_of};
    size_t n = 0;
    int err;
    if (holder) { /* its keys' records only */
        query_holders h;
        err = query_holders_load(kv, &h);
        if (err == CF_OK) err = keys_of(&h, holder, round_key, &c);
        query_holders_free(&h);
    } else {
        err = state_contributions_each(kv, round_contribution, &c);
        if (err == CF_OK) err = state_entry_recs_each(kv, round_rec, &c);
    }
    if (err == CF_OK && c.n > 1) qsort(c.items, c.n, sizeof *c.items, by_key);
    /* One row per (project, holder, round): merge the adjacent parts. */
    for (size_t i = 0; err == CF_OK && i < c.n; i++) {
        round_item *r = &c.items[i];
        if (n > 0 && round_cmp(&c.items[n - 1], r, false) == 0) {
            query_round_position *p = &c.items[n - 1].p;
            if (!amount_add(p->invested_fen, r->p.invested_fen, &p->invested_fen) ||
                !amount_add(p->exited_fen, r->p.exited_fen, &p->exited_fen))
                err = CF_EOVERFLOW;
            continue;
        }
        c.items[n++] = *r;
    }
    for (size_t i = 0; err == CF_OK && i < n; i++)
        ledger_member_label(kv, c.items[i].p.holder, c.items[i].name, STATE_ID_CAP);
    if (err == CF_OK && n > 1) qsort(c.items, n, sizeof *c.items, by_name);
    for (size_t i = 0; err == CF_OK && i < n; i++) err = fn(arg, &c.items[i].p);
    free(c.items);
    return err;
}
