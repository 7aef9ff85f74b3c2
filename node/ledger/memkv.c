/* memkv.c — a skip list (see memkv.h). Each node holds its key and value in
 * one allocation; a put of an existing key replaces the node's value in
 * place when it fits, else reallocates the node. */
#include "memkv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cf_error.h"

/* 2^24 records per level-0 expected span of 1/4 promotion: 16 levels hold
 * tens of millions of records at O(log n). */
#define LEVELS_MAX 16

typedef struct node {
    size_t klen, vlen, vcap;
    uint8_t *key, *val;
    unsigned height;
    struct node *next[]; /* height pointers */
} node;

struct memkv {
    node *head;
    unsigned height;
    size_t count;
    uint64_t rng;
};

static uint64_t next_random(memkv *m)
{
    /* xorshift64* */
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return m->rng * UINT64_C(2685821657736338717);
}

static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

static node *node_new(unsigned height, size_t klen, size_t vlen)
{
    node *n = malloc(sizeof *n + height * sizeof(node *));
    if (n == NULL) return NULL;
    n->key = malloc(klen + vlen + 1);
    if (n->key == NULL) {
        free(n);
        return NULL;
    }
    n->val = n->key + klen;
    n->klen = klen;
    n->vlen = vlen;
    n->vcap = vlen;
    n->height = height;
    for (unsigned i = 0; i < height; i++) n->next[i] = NULL;
    return n;
}

static void node_free(node *n)
{
    if (n == NULL) return;
    free(n->key);
    free(n);
}

memkv *memkv_new(uint64_t seed)
{
    memkv *m = calloc(1, sizeof *m);
    if (m == NULL) return NULL;
    m->head = node_new(LEVELS_MAX, 0, 0);
    if (m->head == NULL) {
        free(m);
        return NULL;
    }
    m->height = 1;
    m->rng = seed ? seed : UINT64_C(0x9E3779B97F4A7C15);
    return m;
}

void memkv_free(memkv *m)
{
    if (m == NULL) return;
    node *n = m->head;
    while (n) {
        node *next = n->next[0];
        node_free(n);
        n = next;
    }
    free(m);
}

size_t memkv_count(const memkv *m)
{
    return m->count;
}

/* Fill prev[] with, per level, the last node whose key is < key; return the
 * level-0 successor (the first node >= key). */
static node *find(memkv *m, const uint8_t *key, size_t klen, node **prev)
{
    node *x = m->head;
    for (int lvl = (int)m->height - 1; lvl >= 0; lvl--) {
        while (x->next[lvl] && key_cmp(x->next[lvl]->key, x->next[lvl]->klen, key, klen) < 0)
            x = x->next[lvl];
        if (prev) prev[lvl] = x;
    }
    return x->next[0];
}

static int kv_get(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val, size_t *vlen)
{
    node *n = find(ctx, key, klen, NULL);
    if (n == NULL || key_cmp(n->key, n->klen, key, klen) != 0) return CF_ENOTFOUND;
    *val = n->val;
    *vlen = n->vlen;
    return CF_OK;
}

static int kv_put(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    memkv *m = ctx;
    node *prev[LEVELS_MAX];
    node *n = find(m, key, klen, prev);
    if (n && key_cmp(n->key, n->klen, key, klen) == 0) {
        if (vlen > n->vcap) {
            uint8_t *nk = malloc(klen + vlen + 1);
            if (nk == NULL) return CF_ENOMEM;
            memcpy(nk, n->key, klen);
            free(n->key);
            n->key = nk;
            n->val = nk + klen;
            n->vcap = vlen;
        }
        if (vlen) memcpy(n->val, val, vlen);
        n->vlen = vlen;
        return CF_OK;
    }
    unsigned height = 1;
    while (height < LEVELS_MAX && (next_random(m) & 3) == 0) height++;
    node *x = node_new(height, klen, vlen);
    if (x == NULL) return CF_ENOMEM;
    memcpy(x->key, key, klen);
    if (vlen) memcpy(x->val, val, vlen);
    for (unsigned lvl = m->height; lvl < height; lvl++) prev[lvl] = m->head;
    if (height > m->height) m->height = height;
    for (unsigned lvl = 0; lvl < height; lvl++) {
        x->next[lvl] = prev[lvl]->next[lvl];
        prev[lvl]->next[lvl] = x;
    }
    m->count++;
    return CF_OK;
}

static bool has_prefix(const node *n, const uint8_t *prefix, size_t plen)
{
    return n->klen >= plen && memcmp(n->key, prefix, plen) == 0;
}

static int kv_scan(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                   ledger_kv_visit_fn fn, void *arg)
{
    memkv *m = ctx;
    node *n = find(m, prefix, plen, NULL);
    if (!reverse) {
        for (; n && has_prefix(n, prefix, plen); n = n->next[0]) {
            int r = fn(arg, n->key, n->klen, n->val, n->vlen);
            if (r) return r;
        }
        return CF_OK;
    }
    /* Reverse: collect the (rare, small) range, then walk it backwards. */
    size_t count = 0, cap = 0;
    node **range = NULL;
    for (; n && has_prefix(n, prefix, plen); n = n->next[0]) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            node **nr = realloc(range, cap * sizeof *nr);
            if (nr == NULL) {
                free(range);
                return CF_ENOMEM;
            }
            range = nr;
        }
        range[count++] = n;
    }
    int r = CF_OK;
    while (count > 0 && r == CF_OK) {
        n = range[--count];
        r = fn(arg, n->key, n->klen, n->val, n->vlen);
    }
    free(range);
    return r;
}

static int kv_floor(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                    const uint8_t **fkey, size_t *fklen, const uint8_t **val, size_t *vlen)
{
    memkv *m = ctx;
    node *prev[LEVELS_MAX];
    /* As the LMDB store does: a prefix longer than the key is a misuse. */
    if (plen > klen) return CF_EINVAL;
    node *n = find(m, key, klen, prev);
    node *hit = NULL;
    if (n && key_cmp(n->key, n->klen, key, klen) == 0) hit = n;
    else if (prev[0] != m->head) hit = prev[0];
    if (hit == NULL || !has_prefix(hit, key, plen)) return CF_ENOTFOUND;
    *fkey = hit->key;
    *fklen = hit->klen;
    *val = hit->val;
    *vlen = hit->vlen;
    return CF_OK;
}

void memkv_bind(memkv *m, ledger_kv *kv)
{
    kv->ctx = m;
    kv->get = kv_get;
    kv->put = kv_put;
    kv->scan = kv_scan;
    kv->floor = kv_floor;
}
