/* entry_golden.c — representative entries of every type, built both ways, and
 * their golden vectors (entry_golden.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cf_error.h"
#include "diag.h"
#include "entry.h"
#include "entry_doc.h"
#include "entry_golden.h"
#include "testutil.h"

static void fill32(uint8_t out[32], uint8_t first)
{
    for (unsigned i = 0; i < 32; i++) out[i] = (uint8_t)(first + i);
}

#define T0_MS UINT64_C(1767574800000) /* 2026-01-05T09:00:00+08:00 */
#define NET_NAME "City co-investment network \xe5\x90\x88\xe6\x8a\x95" /* 合投 */
#define GOV_MEMBER "city-fund"
#define INVESTOR "investor-a"
#define PROGRAM_ID "incubation-2026"
#define PROJECT_ID "acme-robotics"
#define PROJECT_NAME "Acme Robotics \xe6\x9c\xba\xe5\x99\xa8\xe4\xba\xba" /* 机器人 */
#define PROJECT_KIND "intelligent manufacturing"
#define ROUND "seed"
#define CAP_FEN INT64_C(30000000)       /* 300,000.00 */
#define BUDGET_FEN INT64_C(600000000)   /* 6,000,000.00 */
#define CONTRIB_FEN INT64_C(50000000)   /* 500,000.00 */
#define CITE1_FEN INT64_C(20000000)
#define CITE2_FEN INT64_C(10000000)
#define EXIT_FEN INT64_C(1000000000000) /* needs an 8-byte uint */

/* Envelope patterns: net 40.., author a0.., keys 10.. / 70.., cites 20.. 30.. 60.. 80.. */
static void env_make(entry *e, enum entry_type t, uint64_t index, uint64_t gov)
{
    memset(e, 0, sizeof *e);
    e->type = t;
    e->has_net = t != ENTRY_GENESIS;
    if (e->has_net) fill32(e->net, 0x40);
    fill32(e->author, 0xa0);
    e->index = index;
    e->time_ms = T0_MS + index * 60000;
    e->gov = gov;
}

static void env_doc(doc *d, enum entry_type t, uint64_t index, uint64_t gov)
{
    memset(&d->env, 0, sizeof d->env);
    memset(&d->body, 0, sizeof d->body);
    d->used = 0;
    d->body_raw = false;
    m_set(&d->env, "v", V_uint(d, 1));
    if (t != ENTRY_GENESIS) m_set(&d->env, "net", V_bytes(d, 0x40, 32));
    m_set(&d->env, "author", V_bytes(d, 0xa0, 32));
    m_set(&d->env, "index", V_uint(d, index));
    m_set(&d->env, "time", V_uint(d, T0_MS + index * 60000));
    m_set(&d->env, "gov", V_uint(d, gov));
    m_set(&d->env, "type", V_text(d, entry_type_name(t)));
}

void make_genesis(entry *e)
{
    env_make(e, ENTRY_GENESIS, 0, 0);
    e->body.genesis.name = TXT(NET_NAME);
    e->body.genesis.member = TXT(GOV_MEMBER);
    e->body.genesis.tz_min = 480;
}

void doc_genesis(doc *d)
{
    env_doc(d, ENTRY_GENESIS, 0, 0);
    m_set(&d->body, "name", V_text(d, NET_NAME));
    m_set(&d->body, "member", V_text(d, GOV_MEMBER));
    m_set(&d->body, "tz", V_uint(d, 480));
}

void make_member(entry *e)
{
    env_make(e, ENTRY_MEMBER, 1, 1);
    fill32(e->body.member.key, 0x10);
    e->body.member.role = ROLE_INVESTOR;
    e->body.member.name = TXT(INVESTOR);
}

void doc_member(doc *d)
{
    env_doc(d, ENTRY_MEMBER, 1, 1);
    m_set(&d->body, "key", V_bytes(d, 0x10, 32));
    m_set(&d->body, "role", V_text(d, "investor"));
    m_set(&d->body, "name", V_text(d, INVESTOR));
}

void make_program(entry *e)
{
    env_make(e, ENTRY_PROGRAM, 2, 2);
    body_program *p = &e->body.program;
    p->id = TXT(PROGRAM_ID);
    p->kind = TXT("match");
    fill32(p->operator_key, 0x70);
    p->counterpart_roles = ROLE_BIT(ROLE_TEAM);
    p->ratio_num = 1;
    p->ratio_den = 1;
    p->window_days = 180;
    p->has_cap = true;
    p->cap_fen = CAP_FEN;
    p->has_budget = true;
    p->budget_fen = BUDGET_FEN;
    p->start_ms = T0_MS;
}

void doc_program(doc *d)
{
    env_doc(d, ENTRY_PROGRAM, 2, 2);
    m_set(&d->body, "id", V_text(d, PROGRAM_ID));
    m_set(&d->body, "kind", V_text(d, "match"));
    m_set(&d->body, "operator", V_bytes(d, 0x70, 32));
    m_set(&d->body, "counterpart", V_texts(d, 1, (const char *const[]){"team"}));
    m_set(&d->body, "ratio", V_ratio(d, 1, 1));
    m_set(&d->body, "window_days", V_uint(d, 180));
    m_set(&d->body, "cap", V_uint(d, (uint64_t)CAP_FEN));
    m_set(&d->body, "budget", V_uint(d, (uint64_t)BUDGET_FEN));
    m_set(&d->body, "start", V_uint(d, T0_MS));
}

void make_program_min(entry *e)
{
    make_program(e);
    body_program *p = &e->body.program;
    p->has_cap = p->has_budget = false;
    p->cap_fen = p->budget_fen = 0;
    p->counterpart_roles = ROLE_BIT(ROLE_INVESTOR) | ROLE_BIT(ROLE_TEAM);
    p->ratio_num = 3;
    p->ratio_den = 7;
    p->window_days = WINDOW_DAYS_MAX;
}

void doc_program_min(doc *d)
{
    doc_program(d);
    m_del(&d->body, "cap");
    m_del(&d->body, "budget");
    m_set(&d->body, "counterpart", V_texts(d, 2, (const char *const[]){"investor", "team"}));
    m_set(&d->body, "ratio", V_ratio(d, 3, 7));
    m_set(&d->body, "window_days", V_uint(d, WINDOW_DAYS_MAX));
}

void make_project(entry *e)
{
    env_make(e, ENTRY_PROJECT, 3, 3);
    e->body.project.id = TXT(PROJECT_ID);
    e->body.project.name = TXT(PROJECT_NAME);
    e->body.project.has_kind = true;
    e->body.project.kind = TXT(PROJECT_KIND);
}

void doc_project(doc *d)
{
    env_doc(d, ENTRY_PROJECT, 3, 3);
    m_set(&d->body, "id", V_text(d, PROJECT_ID));
    m_set(&d->body, "name", V_text(d, PROJECT_NAME));
    m_set(&d->body, "kind", V_text(d, PROJECT_KIND));
}

void make_project_min(entry *e)
{
    make_project(e);
    e->body.project.has_kind = false;
    e->body.project.kind = TXT("");
}

void doc_project_min(doc *d)
{
    doc_project(d);
    m_del(&d->body, "kind");
}

void make_contribution(entry *e)
{
    env_make(e, ENTRY_CONTRIBUTION, 300, 4);
    body_contribution *c = &e->body.contribution;
    c->project = TXT(PROJECT_ID);
    c->round = TXT(ROUND);
    c->amount_fen = CONTRIB_FEN;
    c->has_program = true;
    c->program = TXT(PROGRAM_ID);
}

void doc_contribution(doc *d)
{
    env_doc(d, ENTRY_CONTRIBUTION, 300, 4);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "round", V_text(d, ROUND));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)CONTRIB_FEN));
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
}

void make_contribution_min(entry *e)
{
    make_contribution(e);
    e->body.contribution.has_program = false;
    e->body.contribution.program = TXT("");
}

void doc_contribution_min(doc *d)
{
    doc_contribution(d);
    m_del(&d->body, "program");
}

void cite_make(entry_cite *c, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen)
{
    fill32(c->author, author);
    c->index = index;
    fill32(c->leaf, leaf);
    c->amount_fen = fen;
}

void cite_dmap(doc *d, dmap *m, uint8_t author, uint64_t index, uint8_t leaf, int64_t fen)
{
    memset(m, 0, sizeof *m);
    m_set(m, "author", V_bytes(d, author, 32));
    m_set(m, "index", V_uint(d, index));
    m_set(m, "leaf", V_bytes(d, leaf, 32));
    m_set(m, "amount", V_uint(d, (uint64_t)fen));
}

void make_match(entry *e)
{
    env_make(e, ENTRY_MATCH, 24, 5);
    body_match *m = &e->body.match;
    m->program = TXT(PROGRAM_ID);
    m->project = TXT(PROJECT_ID);
    m->round = TXT(ROUND);
    m->amount_fen = CITE1_FEN + CITE2_FEN;
    m->ncites = 2;
    cite_make(&m->cites[0], 0x20, 300, 0x30, CITE1_FEN);
    cite_make(&m->cites[1], 0x60, 7, 0x80, CITE2_FEN);
}

void doc_match(doc *d)
{
    env_doc(d, ENTRY_MATCH, 24, 5);
    dmap c1, c2;
    cite_dmap(d, &c1, 0x20, 300, 0x30, CITE1_FEN);
    cite_dmap(d, &c2, 0x60, 7, 0x80, CITE2_FEN);
    val cites[2] = {V_map(d, &c1), V_map(d, &c2)};
    m_set(&d->body, "program", V_text(d, PROGRAM_ID));
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "round", V_text(d, ROUND));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)(CITE1_FEN + CITE2_FEN)));
    m_set(&d->body, "cites", V_array(d, 2, cites));
}

void make_exit(entry *e)
{
    env_make(e, ENTRY_EXIT, 70000, 6);
    e->body.exit.project = TXT(PROJECT_ID);
    e->body.exit.amount_fen = EXIT_FEN;
}

void doc_exit(doc *d)
{
    env_doc(d, ENTRY_EXIT, 70000, 6);
    m_set(&d->body, "project", V_text(d, PROJECT_ID));
    m_set(&d->body, "amount", V_uint(d, (uint64_t)EXIT_FEN));
}

/* Goldens: derived once from entry_encode, then read by hand against the
 * key order of the field tables in entry.c (envelope: v gov net body time
 * type index author; each body as listed there). */
const struct golden goldens[] = {
    {"genesis", make_genesis, doc_genesis,
     "a7" /* map(7) */
     "6176" "01" /* v */
     "63676f76" "00" /* gov */
     "64626f6479" /* body */
       "a3" /* map(3) */
       "62747a" "1901e0" /* tz */
       "646e616d65" /* name */
         "78214369747920636f2d696e766573746d656e74206e6574776f726b20e59088e68a"
         "95"
       "666d656d626572" "69636974792d66756e64" /* member */
     "6474696d65" "1b0000019b8bab0680" /* time */
     "6474797065" "6767656e65736973" /* type */
     "65696e646578" "00" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"member", make_member, doc_member,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "01" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "636b6579" /* key */
         "5820101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
       "646e616d65" "6a696e766573746f722d61" /* name */
       "64726f6c65" "68696e766573746f72" /* role */
     "6474696d65" "1b0000019b8babf0e0" /* time */
     "6474797065" "666d656d626572" /* type */
     "65696e646578" "01" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program", make_program, doc_program,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a9" /* map(9) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "63636170" "1a01c9c380" /* cap */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820101" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "66627564676574" "1a23c34600" /* budget */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "81647465616d" /* counterpart */
       "6b77696e646f775f64617973" "18b4" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-min", make_program_min, doc_program_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a7" /* map(7) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820307" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "8268696e766573746f72647465616d" /* counterpart */
       "6b77696e646f775f64617973" "190e42" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project", make_project, doc_project,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646b696e64" /* kind */
         "7819696e74656c6c6967656e74206d616e75666163747572696e67"
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project-min", make_project_min, doc_project_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution", make_contribution, doc_contribution,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution-min", make_contribution_min, doc_contribution_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"match", make_match, doc_match,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "05" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "656369746573" /* cites */
         "82a4646c6561665820303132333435363738393a3b3c3d3e3f404142434445464748"
         "494a4b4c4d4e4f65696e64657819012c66616d6f756e741a01312d0066617574686f"
         "725820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e"
         "3fa4646c6561665820808182838485868788898a8b8c8d8e8f909192939495969798"
         "999a9b9c9d9e9f65696e6465780766616d6f756e741a0098968066617574686f7258"
         "20606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a01c9c380" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8bc0ff80" /* time */
     "6474797065" "656d61746368" /* type */
     "65696e646578" "1818" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"exit", make_exit, doc_exit,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1b000000e8d4a51000" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019c8601f080" /* time */
     "6474797065" "6465786974" /* type */
     "65696e646578" "1a00011170" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
};

size_t golden_bytes(size_t i, uint8_t *out)
{
    return tu_unhex(goldens[i].hex, out, ENTRY_BYTES_MAX);
}

static void text_equal(entry_text a, entry_text b)
{
    assert_int_equal(a.n, b.n);
    if (a.n) assert_memory_equal(a.s, b.s, a.n);
}

void entry_equal(const entry *a, const entry *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->has_net, b->has_net);
    if (a->has_net) assert_memory_equal(a->net, b->net, 32);
    assert_memory_equal(a->author, b->author, 32);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->time_ms, b->time_ms);
    assert_int_equal(a->gov, b->gov);
    switch (a->type) {
    case ENTRY_GENESIS:
        text_equal(a->body.genesis.name, b->body.genesis.name);
        text_equal(a->body.genesis.member, b->body.genesis.member);
        assert_int_equal(a->body.genesis.tz_min, b->body.genesis.tz_min);
        break;
    case ENTRY_MEMBER:
        assert_memory_equal(a->body.member.key, b->body.member.key, 32);
        assert_int_equal(a->body.member.role, b->body.member.role);
        text_equal(a->body.member.name, b->body.member.name);
        break;
    case ENTRY_PROGRAM: {
        const body_program *p = &a->body.program, *q = &b->body.program;
        text_equal(p->id, q->id);
        text_equal(p->kind, q->kind);
        assert_memory_equal(p->operator_key, q->operator_key, 32);
        assert_int_equal(p->counterpart_roles, q->counterpart_roles);
        assert_int_equal(p->ratio_num, q->ratio_num);
        assert_int_equal(p->ratio_den, q->ratio_den);
        assert_int_equal(p->window_days, q->window_days);
        assert_int_equal(p->has_cap, q->has_cap);
        if (p->has_cap) assert_int_equal(p->cap_fen, q->cap_fen);
        assert_int_equal(p->has_budget, q->has_budget);
        if (p->has_budget) assert_int_equal(p->budget_fen, q->budget_fen);
        assert_int_equal(p->start_ms, q->start_ms);
        break;
    }
    case ENTRY_PROJECT:
        text_equal(a->body.project.id, b->body.project.id);
        text_equal(a->body.project.name, b->body.project.name);
        assert_int_equal(a->body.project.has_kind, b->body.project.has_kind);
        if (a->body.project.has_kind) text_equal(a->body.project.kind, b->body.project.kind);
        break;
    case ENTRY_CONTRIBUTION: {
        const body_contribution *p = &a->body.contribution, *q = &b->body.contribution;
        text_equal(p->project, q->project);
        text_equal(p->round, q->round);
        assert_int_equal(p->amount_fen, q->amount_fen);
        assert_int_equal(p->has_program, q->has_program);
        if (p->has_program) text_equal(p->program, q->program);
        break;
    }
    case ENTRY_MATCH: {
        const body_match *p = &a->body.match, *q = &b->body.match;
        text_equal(p->program, q->program);
        text_equal(p->project, q->project);
        text_equal(p->round, q->round);
        assert_int_equal(p->amount_fen, q->amount_fen);
        assert_int_equal(p->ncites, q->ncites);
        for (size_t i = 0; i < p->ncites; i++) {
            assert_memory_equal(p->cites[i].author, q->cites[i].author, 32);
            assert_int_equal(p->cites[i].index, q->cites[i].index);
            assert_memory_equal(p->cites[i].leaf, q->cites[i].leaf, 32);
            assert_int_equal(p->cites[i].amount_fen, q->cites[i].amount_fen);
        }
        break;
    }
    case ENTRY_EXIT:
        text_equal(a->body.exit.project, b->body.exit.project);
        assert_int_equal(a->body.exit.amount_fen, b->body.exit.amount_fen);
        break;
    default:
        fail_msg("unexpected type %d", (int)a->type);
    }
}

void doc_by_name(const char *name)
{
    for (size_t i = 0; i < NGOLDENS; i++)
        if (strcmp(goldens[i].name, name) == 0) {
            goldens[i].doc(&g_doc);
            return;
        }
    fail_msg("no golden %s", name);
}

void doc_put_val(const char *path, val v)
{
    if (strncmp(path, "body.cites[0]", 13) == 0) {
        val cite = v;
        if (path[13] != '\0') {
            dmap c;
            cite_dmap(&g_doc, &c, 0x20, 1, 0x30, 5);
            m_set(&c, path + 14, v);
            cite = V_map(&g_doc, &c);
        }
        m_set(&g_doc.body, "cites", V_array(&g_doc, 1, &cite));
    } else if (strncmp(path, "body.", 5) == 0) {
        m_set(&g_doc.body, path + 5, v);
    } else if (strcmp(path, "body") == 0) {
        doc_set_body(&g_doc, v);
    } else {
        m_set(&g_doc.env, path, v);
    }
}

void doc_put(const char *path, const char *hex)
{
    doc_put_val(path, V_hex(&g_doc, hex));
}
