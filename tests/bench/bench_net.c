/* bench_net.c — homes and a realistic network, built through the library
 * the way the CLI builds them (init, network create, member/program/project
 * add, export, join). See bench.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "crypto/cf_error.h"
#include "home/bundle_io.h"

#define YUAN(x) ((int64_t)(x) * 100)

const char *const bench_program_ids[BENCH_PROGRAMS] = {"industrial", "tech", "growth"};
const char *const bench_round_ids[BENCH_ROUNDS] = {"seed", "A", "B"};

void bench_home_create(bench_home *bh, const char *root, const char *name)
{
    diag d;
    memset(bh, 0, sizeof *bh);
    bench_path(bh->dir, sizeof bh->dir, root, name);
    bench_check(home_init(bh->dir, name, NULL, 0, &d), &d, "home_init");
    bench_check(home_open(bh->dir, 0, &bh->h, &d), &d, "home_open");
    bench_check(home_load_keypair(bh->h, NULL, 0, &bh->kp, &d), &d, "home_load_keypair");
}

void bench_home_close(bench_home *bh)
{
    if (bh->h) home_close(bh->h);
    bh->h = NULL;
    keyfile_wipe(&bh->kp);
}

void bench_append(bench_home *bh, entry *es, size_t n, append_result *res)
{
    diag d;
    append_result local;
    bench_check(append_entries(bh->h, &bh->kp, es, n, bench_wall_ms(), res ? res : &local, &d), &d,
                "node_append");
}

static void export_to(bench_home *bh, const char *path)
{
    export_result r;
    diag d;
    bench_check(bundle_io_export(bh->h, path, &r, &d), &d, "node_export");
}

void bench_net_create(bench_net *n, const char *root, unsigned nprojects,
                      const bench_member *members, size_t nmembers,
                      const uint8_t fund_key[32], uint64_t start_ms)
{
    memset(n, 0, sizeof *n);
    n->root = root;
    n->nprojects = nprojects;
    n->project_ids = calloc(nprojects, sizeof *n->project_ids);
    if (n->project_ids == NULL) bench_die("out of memory");
    bench_home_create(&n->city, root, "city");

    entry g = {.type = ENTRY_GENESIS};
    g.body.genesis.name = entry_text_of("Benchmark guidance funds", 24);
    g.body.genesis.member = entry_text_of("city", 4);
    g.body.genesis.tz_min = 480;
    bench_append(&n->city, &g, 1, NULL);

    /* Members, programs and projects in one batch: one governance txn. */
    size_t cap = nmembers + BENCH_PROGRAMS + nprojects;
    entry *es = calloc(cap, sizeof *es);
    if (es == NULL) bench_die("out of memory");
    size_t k = 0;
    for (size_t i = 0; i < nmembers; i++) {
        entry *e = &es[k++];
        e->type = ENTRY_MEMBER;
        memcpy(e->body.member.key, members[i].home->h->self, 32);
        e->body.member.role = members[i].role;
        e->body.member.name = entry_text_of(members[i].home->h->name,
                                            strlen(members[i].home->h->name));
    }
    /* industrial: the policy's preset (1:1, investors); tech: 1 fund yuan
     * per 2 private, capped per project; growth: 1:1 with a short window,
     * cap and budget. Limits are large enough never to reject the
     * generated history, small enough to be checked on every match. */
    static const struct {
        uint32_t num, den, window;
        int64_t cap, budget;
    } progs[BENCH_PROGRAMS] = {
        {1, 1, 365, 0, 0},
        {1, 2, 180, YUAN(100000000000), YUAN(1000000000000)},
        {1, 1, 90, YUAN(10000000000), YUAN(1000000000000)},
    };
    for (int p = 0; p < BENCH_PROGRAMS; p++) {
        entry *e = &es[k++];
        body_program *b = &e->body.program;
        e->type = ENTRY_PROGRAM;
        b->id = entry_text_of(bench_program_ids[p], strlen(bench_program_ids[p]));
        b->kind = entry_text_of("match", 5);
        memcpy(b->operator_key, fund_key, 32);
        b->counterpart_roles = ROLE_BIT(ROLE_INVESTOR);
        b->ratio_num = n->ratio_num[p] = progs[p].num;
        b->ratio_den = n->ratio_den[p] = progs[p].den;
        b->window_days = n->window_days[p] = progs[p].window;
        b->has_cap = progs[p].cap > 0;
        b->cap_fen = progs[p].cap;
        b->has_budget = progs[p].budget > 0;
        b->budget_fen = progs[p].budget;
        b->start_ms = start_ms;
    }
    for (unsigned p = 0; p < nprojects; p++) {
        entry *e = &es[k++];
        snprintf(n->project_ids[p], sizeof n->project_ids[p], "p%04u", p);
        e->type = ENTRY_PROJECT;
        e->body.project.id = entry_text_of(n->project_ids[p], strlen(n->project_ids[p]));
        e->body.project.name = e->body.project.id;
        e->body.project.has_kind = true;
        e->body.project.kind = entry_text_of("equity", 6);
    }
    bench_append(&n->city, es, k, NULL);
    free(es);

    bench_path(n->bundle, sizeof n->bundle, root, "city.bundle");
    export_to(&n->city, n->bundle);
    state_network net;
    diag d;
    bench_check(home_network(n->city.h, &net, &d), &d, "home_network");
    memcpy(n->net, net.net, 32);
}

void bench_net_join(const bench_net *n, bench_home *bh)
{
    import_result r;
    diag d;
    bench_check(bundle_io_import(bh->h, n->bundle, n->net, &r, &d), &d, "join (node_import)");
    if (!r.joined) bench_die("join: %s did not join", bh->dir);
}

void bench_net_free(bench_net *n)
{
    bench_home_close(&n->city);
    free(n->project_ids);
    n->project_ids = NULL;
}

void bench_contribution(const bench_net *n, entry *e, unsigned project, unsigned round,
                        int program, int64_t amount_fen, uint64_t time_ms)
{
    body_contribution *b = &e->body.contribution;
    memset(e, 0, offsetof(entry, body) + sizeof *b);
    e->type = ENTRY_CONTRIBUTION;
    e->time_ms = time_ms;
    b->project = entry_text_of(n->project_ids[project], strlen(n->project_ids[project]));
    b->round = entry_text_of(bench_round_ids[round], strlen(bench_round_ids[round]));
    b->amount_fen = amount_fen;
    if (program >= 0) {
        b->has_program = true;
        b->program = entry_text_of(bench_program_ids[program], strlen(bench_program_ids[program]));
    }
}
