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

static int key_cmp(const void *a, const void *b)
{
    return memcmp(((const query_key *)a)->key, ((const query_key *)b)->key, 32);
}

static int ident_cmp(const void *a, const void *b)
{
    return memcmp(((const query_ident *)a)->identity, ((const query_ident *)b)->identity, 32);
}

static int part_cmp(const void *a, const void *b)
{
    return strcmp(((const query_part *)a)->project, ((const query_part *)b)->project);
}

static int key_visit(void *arg, const state_member *m)
{
    query_holders *h = arg;
    int err = cf_reserve((void **)&h->keys, &h->keys_cap, h->nkeys, sizeof *h->keys, 16);
    if (err) return err;
    query_key *k = &h->keys[h->nkeys++];
    memcpy(k->key, m->key, 32);
    memcpy(k->identity, m->identity, 32);
    memcpy(k->name, m->name, STATE_ID_CAP);
    return CF_OK;
}

static int operator_visit(void *arg, const state_program *p)
{
    query_holders *h = arg;
    if (p->pkind != PROGRAM_MATCH) return CF_OK;
    int err = cf_reserve((void **)&h->ops, &h->ops_cap, h->nops, sizeof *h->ops, 8);
    if (err == CF_OK) err = query_identity(h->kv, p->operator_key, h->ops[h->nops].identity);
    if (err) return err;
    memcpy(h->ops[h->nops++].program, p->id, STATE_ID_CAP);
    return CF_OK;
}

/* The identity's entry, added (not loaded) when it is no member's. */
static query_ident *ident_of(query_holders *h, const uint8_t identity[32])
{
    query_ident k;
    memcpy(k.identity, identity, 32);
    query_ident *x = h->nidents ? bsearch(&k, h->idents, h->nidents, sizeof k, ident_cmp) : NULL;
    if (x || cf_reserve((void **)&h->idents, &h->idents_cap, h->nidents, sizeof *h->idents, 16))
        return x;
    x = &h->idents[h->nidents++];
    memset(x, 0, sizeof *x);
    memcpy(x->identity, identity, 32);
    qsort(h->idents, h->nidents, sizeof *h->idents, ident_cmp);
    return bsearch(&k, h->idents, h->nidents, sizeof k, ident_cmp);
}

int query_holders_load(const ledger_kv *kv, const char *project, uint64_t as_of,
                       query_holders *out)
{
    memset(out, 0, sizeof *out);
    out->kv = kv;
    out->project = project;
    out->as_of = as_of;
    int err = state_members_each(kv, key_visit, out);
    if (err == CF_OK) err = state_programs_each(kv, operator_visit, out);
    if (err) return err;
    if (out->nkeys > 1) qsort(out->keys, out->nkeys, sizeof *out->keys, key_cmp);
    /* The identities: the members', sorted once; the operators' marked. */
    for (size_t i = 0; i < out->nkeys; i++) {
        if ((err = cf_reserve((void **)&out->idents, &out->idents_cap, out->nidents,
                              sizeof *out->idents, 16)) != 0)
            return err;
        memset(&out->idents[out->nidents], 0, sizeof *out->idents);
        memcpy(out->idents[out->nidents++].identity, out->keys[i].identity, 32);
    }
    if (out->nidents > 1) qsort(out->idents, out->nidents, sizeof *out->idents, ident_cmp);
    size_t n = 0;
    for (size_t i = 0; i < out->nidents; i++)
        if (n == 0 || ident_cmp(&out->idents[n - 1], &out->idents[i]) != 0)
            out->idents[n++] = out->idents[i];
    out->nidents = n;
    for (size_t i = 0; i < out->nops; i++) {
        query_ident *x = ident_of(out, out->ops[i].identity);
        if (x == NULL) return CF_ENOMEM;
        x->operates = true;
    }
    return CF_OK;
}

void query_holders_free(query_holders *h)
{
    for (size_t i = 0; i < h->nidents; i++) free(h->idents[i].parts);
    free(h->keys);
    free(h->idents);
    free(h->ops);
    memset(h, 0, sizeof *h);
}

void query_holder_name(const query_holders *h, const uint8_t key[32], char out[STATE_ID_CAP])
{
    query_key k;
    memcpy(k.key, key, 32);
    const query_key *m = h->nkeys ? bsearch(&k, h->keys, h->nkeys, sizeof k, key_cmp) : NULL;
    if (m) memcpy(out, m->name, STATE_ID_CAP);
    else ledger_member_label(h->kv, key, out, STATE_ID_CAP);
}

struct part_ctx {
    const query_holders *h;
    query_ident *x;
};

/* An exit or (an operator's) contribution that counts by as_of, added to
 * its project's part. */
/* A part of the identity for project, at 0 (parts of one project are
 * merged once loaded, ident_load). */
static query_part *part_at(query_ident *x, const char *project)
{
    if (cf_reserve((void **)&x->parts, &x->parts_cap, x->nparts, sizeof *x->parts, 8)) return NULL;
    query_part *p = &x->parts[x->nparts++];
    memset(p, 0, sizeof *p);
    snprintf(p->project, STATE_ID_CAP, "%s", project);
    return p;
}

static int part_add(struct part_ctx *c, const uint8_t author[32], uint64_t index,
                    uint64_t time_ms, const char *project, int64_t amount_fen)
{
    bool yes;
    if (c->h->project && strcmp(c->h->project, project) != 0) return CF_OK;
    int err = counts(c->h->kv, author, index, time_ms, c->h->as_of, &yes);
    if (err || !yes) return err;
    query_part *p = part_at(c->x, project);
    if (p == NULL) return CF_ENOMEM;
    return amount_add(p->sum_fen, amount_fen, &p->sum_fen) ? CF_OK : CF_EOVERFLOW;
}

/* An operator's program's deployed in each project (one scan a program). */
static int deployed_part(void *arg, const uint8_t *rest, size_t len, int64_t value)
{
    struct part_ctx *c = arg;
    char project[STATE_ID_CAP];
    if (len < 1 || rest[0] + 1u != len || rest[0] >= STATE_ID_CAP) return CF_ESTORE_CORRUPT;
    memcpy(project, rest + 1, rest[0]);
    project[rest[0]] = '\0';
    query_part *p = part_at(c->x, project);
    if (p == NULL) return CF_ENOMEM;
    return amount_add(p->deployed_fen, value, &p->deployed_fen) ? CF_OK : CF_EOVERFLOW;
}

static int exit_part(void *arg, const state_entry_rec *r)
{
    if (r->type != ENTRY_EXIT) return CF_OK;
    return part_add(arg, r->author, r->index, r->time_ms, r->project, r->amount_fen);
}

static int contribution_part(void *arg, const state_contribution *sc)
{
    return part_add(arg, sc->author, sc->index, sc->time_ms, sc->project, sc->amount_fen);
}

static int key_parts(struct part_ctx *c, const uint8_t key[32])
{
    return c->x->operates ? state_contributions_of(c->h->kv, key, contribution_part, c)
                          : state_entry_recs_of(c->h->kv, key, exit_part, c);
}

/* Read the identity's parts: its every key's records (R-KEY). */
static int ident_load(query_holders *h, query_ident *x)
{
    struct part_ctx c = {h, x};
    bool member = false;
    int err = CF_OK;
    for (size_t i = 0; err == CF_OK && i < h->nkeys; i++)
        if (memcmp(h->keys[i].identity, x->identity, 32) == 0) {
            member = true;
            err = key_parts(&c, h->keys[i].key);
        }
    if (err == CF_OK && !member) err = key_parts(&c, x->identity);
    /* An operator's programs' deployed: one project's (a get a program), or
     * every project's (one scan a program). */
    for (size_t i = 0; err == CF_OK && x->operates && i < h->nops; i++) {
        if (memcmp(h->ops[i].identity, x->identity, 32) != 0) continue;
        if (h->project == NULL) {
            err = state_series_each(h->kv, SERIES_PROJECT_DEPLOYED, h->ops[i].program, h->as_of,
                                    deployed_part, &c);
            continue;
        }
        state_series s;
        query_part *p = part_at(x, h->project);
        if (p == NULL) return CF_ENOMEM;
        state_series_project(&s, SERIES_PROJECT_DEPLOYED, h->ops[i].program, h->project);
        err = state_series_at(h->kv, &s, h->as_of, &p->deployed_fen);
    }
    if (err) return err;
    /* One part a project: sorted, the parts of one project summed. */
    if (x->nparts > 1) qsort(x->parts, x->nparts, sizeof *x->parts, part_cmp);
    size_t n = 0;
    for (size_t i = 0; i < x->nparts; i++) {
        query_part *p = &x->parts[i], *q = n ? &x->parts[n - 1] : NULL;
        if (q && strcmp(q->project, p->project) == 0) {
            if (!amount_add(q->sum_fen, p->sum_fen, &q->sum_fen) ||
                !amount_add(q->deployed_fen, p->deployed_fen, &q->deployed_fen))
                return CF_EOVERFLOW;
            continue;
        }
        x->parts[n++] = *p;
    }
    x->nparts = n;
    x->loaded = true;
    return CF_OK;
}

int query_exited(query_holders *h, const uint8_t identity[32], const char *project,
                 int64_t net_fen, int64_t *exited_fen)
{
    query_ident *x = ident_of(h, identity);
    query_part k;
    int64_t deployed = 0, sum = 0;
    int err;
    *exited_fen = 0;
    if (x == NULL) return CF_ENOMEM;
    if (!x->loaded && (err = ident_load(h, x)) != 0) return err;
    snprintf(k.project, sizeof k.project, "%s", project);
    const query_part *p = x->nparts ? bsearch(&k, x->parts, x->nparts, sizeof k, part_cmp) : NULL;
    if (p) {
        sum = p->sum_fen;
        deployed = p->deployed_fen;
    }
    if (!x->operates) {
        *exited_fen = sum;
        return CF_OK;
    }
    int64_t in;
    if (!amount_add(deployed, sum, &in)) return CF_EOVERFLOW;
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
    /* the other records (R-REVERSE keeps them for pool entries, leases and
     * awards too) are no equity: only an exit is */
    if (x->type != ENTRY_EXIT) return CF_OK;
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
        bool member = false;
        err = query_holders_load(kv, project, as_of, &h);
        for (size_t i = 0; err == CF_OK && i < h.nkeys; i++)
            if (memcmp(h.keys[i].identity, holder, 32) == 0) {
                member = true;
                err = round_key(&c, h.keys[i].key);
            }
        if (err == CF_OK && !member) err = round_key(&c, holder);
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
