/* memkv.c — an in-memory ordered map (see memkv.h).
 *
 * Three structures share one set of records:
 *
 *   - an arena: every record (links, key, value) is one bump allocation
 *     from large chunks, all freed at once by memkv_free;
 *   - a hash index (open addressing, linear probing, keyed SipHash-1-3 of
 *     the key): get and put of an existing key in O(1), without touching
 *     the order;
 *   - a skip list for scan and floor, built lazily. A new record first
 *     joins the pending list of its partition (its key's first byte); a
 *     scan or floor first moves the pending records of the partitions it
 *     can reach into the skip list, sorted, each inserted from where the
 *     previous one went (a finger). A workload of puts and gets — the
 *     audit's replay — never orders anything; one that scans after every
 *     put pays what an eager skip list pays. A write-back cache's flush,
 *     which walks everything once and then frees the map, drains it
 *     (memkv_drain): each partition's pending records, sorted, are merged
 *     into the walk, never inserted.
 *
 * Puts wait in a small buffer (WB_PUTS of them) before they reach the
 * index: each put prefetches its index slot, and the buffer is applied in
 * order when it fills, or before a scan or floor, by when the slots are in
 * the cache. A big index is a cache miss per new key otherwise; this way
 * the misses overlap. A get looks in the buffer first. Its bytes stay where
 * they are until the next put, so what a get returned from the buffer
 * stays valid across scans and floors, as ledger_kv promises.
 *
 * Record heights are drawn, in the order of the puts, when a new key
 * reaches the index, so the skip list's shape depends on the seed and the
 * sequence of puts only, not on when records are ordered. No record ever
 * moves: a value that outgrows its room gets a new block from the arena
 * (the old one is dead until memkv_free), which is what "valid until the
 * next put" allows.
 */
#include "memkv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "crypto/cf_error.h"

/* 4^16 records in expectation before the top level fills: far beyond any
 * audit. */
#define LEVELS_MAX 16
/* Arena chunks grow from 64 KiB to 4 MiB (headers included); an allocation
 * above a quarter of the next chunk's size gets a chunk of its own. */
#define CHUNK_BYTES_MIN (64u << 10)
#define CHUNK_BYTES_MAX (4u << 20)
/* The hash index grows (doubles) past 3/4 full. */
#define INDEX_SLOTS_MIN 1024u
#define PARTITIONS 256
/* The put buffer: 64 puts (a few entries' worth for the rules: long enough
 * for the prefetches to land, short enough that they are still cached) in
 * 16 KiB; a bigger put bypasses it. WB_TABLE finds a buffered key. */
#define WB_PUTS 64u
#define WB_BYTES (16u << 10)
#define WB_TABLE 128u
_Static_assert(WB_PUTS < 256 && WB_PUTS * 2 <= WB_TABLE, "the buffer's table stays sparse");

typedef struct rec {
    uint8_t *val;    /* inline after the key, or a block of its own */
    uint32_t klen;
    uint32_t vlen, vcap;
    uint8_t height;  /* links in next[]; until the record is ordered, next[0]
                      * links its partition's pending list */
    struct rec *next[]; /* then the key, then the value's first room */
} rec;

typedef struct chunk {
    struct chunk *prev;
    size_t used, cap;
    _Alignas(16) uint8_t bytes[];
} chunk;

typedef struct {
    uint64_t hash;
    rec *r; /* NULL: empty */
} slot;

typedef struct {
    rec *head, *tail;
} pending;

typedef struct {
    uint64_t hash;
    uint32_t off;        /* the key at wb_bytes + off, then the value's room */
    uint32_t klen, vlen, vcap;
} wb_put;

struct memkv {
    /* order */
    rec *head; /* LEVELS_MAX links, no key */
    unsigned height;
    uint64_t rng;
    pending pend[PARTITIONS];
    uint64_t pend_bits[PARTITIONS / 64]; /* partitions with pending records */
    /* index */
    slot *slots;
    size_t nslots; /* a power of two */
    size_t count;
    uint64_t k0, k1; /* SipHash key */
    /* buffered puts: [0, wb_applied) are in the index (their bytes stay
     * until the next put), [wb_applied, nwb) wait */
    wb_put wb[WB_PUTS];
    size_t nwb, wb_applied;
    uint8_t wb_table[WB_TABLE]; /* 1 + a waiting put's number; 0: empty */
    uint8_t *wb_bytes;
    size_t wb_used;
    /* arena */
    chunk *chunks;
    size_t chunk_next; /* size of the next chunk */
};

static inline uint8_t *rec_key(const rec *r)
{
    return (uint8_t *)(uintptr_t)&r->next[r->height];
}

/* ---- memory ---------------------------------------------------------------- */

/* Large blocks (the index, arena chunks of 4 MiB) are aligned to 2 MiB and
 * asked to be backed by huge pages where the system offers them: a probe
 * of a big index is a cache miss, and without them a TLB miss too; and a
 * growing arena takes one page fault per 2 MiB instead of per 4 KiB. */
#define HUGE_PAGE_BYTES ((size_t)2 << 20)
static void *huge_alloc(size_t bytes)
{
    void *p = NULL;
    if (posix_memalign(&p, HUGE_PAGE_BYTES, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice only */
#endif
    return p;
}


static void *arena_alloc(memkv *m, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    chunk *c = m->chunks;
    if (c == NULL || c->cap - c->used < n) {
        size_t total = m->chunk_next; /* header included: whole huge pages */
        if (n > total / 4) {
            /* A chunk of its own, behind the current one. */
            chunk *own = malloc(sizeof *own + n);
            if (own == NULL) return NULL;
            own->cap = own->used = n;
            if (c == NULL) {
                own->prev = NULL;
                m->chunks = own;
            } else {
                own->prev = c->prev;
                c->prev = own;
            }
            return own->bytes;
        }
        chunk *nc = total >= HUGE_PAGE_BYTES ? huge_alloc(total) : malloc(total);
        if (nc == NULL) return NULL;
        nc->prev = c;
        nc->used = 0;
        nc->cap = total - sizeof *nc;
        m->chunks = c = nc;
        if (m->chunk_next < CHUNK_BYTES_MAX) m->chunk_next *= 2;
    }
    void *p = c->bytes + c->used;
    c->used += n;
    return p;
}

/* ---- hashing: SipHash-1-3 (Aumasson and Bernstein), keyed per map ---------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                 \
    do {                                                                         \
        v0 += v1;                                                                \
        v1 = ROTL(v1, 13);                                                       \
        v1 ^= v0;                                                                \
        v0 = ROTL(v0, 32);                                                       \
        v2 += v3;                                                                \
        v3 = ROTL(v3, 16);                                                       \
        v3 ^= v2;                                                                \
        v0 += v3;                                                                \
        v3 = ROTL(v3, 21);                                                       \
        v3 ^= v0;                                                                \
        v2 += v1;                                                                \
        v1 = ROTL(v1, 17);                                                       \
        v1 ^= v2;                                                                \
        v2 = ROTL(v2, 32);                                                       \
    } while (0)

/* Eight key bytes as a word in the host's order: the hash only has to agree
 * with itself within one process. */
static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t key_hash(const memkv *m, const uint8_t *key, size_t klen)
{
    uint64_t v0 = m->k0 ^ UINT64_C(0x736f6d6570736575);
    uint64_t v1 = m->k1 ^ UINT64_C(0x646f72616e646f6d);
    uint64_t v2 = m->k0 ^ UINT64_C(0x6c7967656e657261);
    uint64_t v3 = m->k1 ^ UINT64_C(0x7465646279746573);
    const uint8_t *end = key + (klen & ~(size_t)7);
    for (; key != end; key += 8) {
        uint64_t w = load64(key);
        v3 ^= w;
        SIPROUND;
        v0 ^= w;
    }
    uint64_t b = (uint64_t)klen << 56;
    switch (klen & 7) {
    case 7: b |= (uint64_t)key[6] << 48; /* fall through */
    case 6: b |= (uint64_t)key[5] << 40; /* fall through */
    case 5: b |= (uint64_t)key[4] << 32; /* fall through */
    case 4: b |= (uint64_t)key[3] << 24; /* fall through */
    case 3: b |= (uint64_t)key[2] << 16; /* fall through */
    case 2: b |= (uint64_t)key[1] << 8;  /* fall through */
    case 1: b |= (uint64_t)key[0]; break;
    default: break;
    }
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- the index ------------------------------------------------------------ */

/* The slot holding key, or the empty slot where it would go. */
static slot *index_find(const memkv *m, uint64_t h, const uint8_t *key, size_t klen)
{
    size_t mask = m->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (s->r == NULL) return s;
        if (s->hash == h && s->r->klen == klen &&
            (klen == 0 || memcmp(rec_key(s->r), key, klen) == 0))
            return s;
    }
}

/* A zeroed array of n slots (see huge_alloc). */
static slot *slots_new(size_t n)
{
    size_t bytes = n * sizeof(slot);
    if (bytes < HUGE_PAGE_BYTES) return calloc(n, sizeof(slot));
    slot *p = huge_alloc(bytes);
    if (p != NULL) memset(p, 0, bytes);
    return p;
}

static int index_grow(memkv *m)
{
    size_t n = m->nslots * 2;
    slot *ns = slots_new(n);
    if (ns == NULL) return CF_ENOMEM;
    for (size_t i = 0; i < m->nslots; i++) {
        const slot *s = &m->slots[i];
        if (s->r == NULL) continue;
        size_t j = (size_t)s->hash & (n - 1);
        while (ns[j].r != NULL) j = (j + 1) & (n - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->nslots = n;
    return CF_OK;
}

/* ---- the order ------------------------------------------------------------ */

static uint64_t next_random(memkv *m)
{
    /* xorshift64* */
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return m->rng * UINT64_C(2685821657736338717);
}

/* LMDB's default order: memcmp, then shorter first. */
static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int c = n ? memcmp(a, b, n) : 0; /* an empty key may come as NULL */
    if (c) return c;
    return alen < blen ? -1 : alen > blen;
}

static inline int rec_cmp(const rec *a, const uint8_t *key, size_t klen)
{
    return key_cmp(rec_key(a), a->klen, key, klen);
}

static inline unsigned partition_of(const uint8_t *key, size_t klen)
{
    return klen ? key[0] : 0; /* the empty key sorts first: with 0x00 */
}

/* Merge two sorted pending lists (linked through next[0]). */
static rec *merge(rec *a, rec *b)
{
    rec *first = NULL, **out = &first;
    while (a && b) {
        rec **from = rec_cmp(a, rec_key(b), b->klen) < 0 ? &a : &b;
        *out = *from;
        out = &(*from)->next[0];
        *from = (*from)->next[0];
    }
    *out = a ? a : b;
    return first;
}

/* Sort a pending list: split into ascending runs, merge them like a binary
 * counter. Linear for a list that is already in order (most are: a
 * partition's keys tend to be written in order). */
static rec *sort_pending(rec *list)
{
    rec *bins[64] = {0};
    unsigned top = 0;
    while (list) {
        rec *run = list, *last = list;
        while (last->next[0] && rec_cmp(last, rec_key(last->next[0]), last->next[0]->klen) < 0)
            last = last->next[0];
        list = last->next[0];
        last->next[0] = NULL;
        unsigned i = 0;
        for (; i < 64 && bins[i]; i++) {
            run = merge(bins[i], run);
            bins[i] = NULL;
        }
        if (i == 64) i = 63; /* cannot happen: 2^64 runs */
        bins[i] = run;
        if (i >= top) top = i + 1;
    }
    rec *out = NULL;
    for (unsigned i = 0; i < top; i++)
        if (bins[i]) out = out ? merge(bins[i], out) : bins[i];
    return out;
}

/* Per level, the last node < key, searching down from the head. */
static void find_prev(memkv *m, const uint8_t *key, size_t klen, rec **prev)
{
    rec *x = m->head;
    for (int lvl = (int)m->height - 1; lvl >= 0; lvl--) {
        while (x->next[lvl] && rec_cmp(x->next[lvl], key, klen) < 0) x = x->next[lvl];
        prev[lvl] = x;
    }
}

/* Insert a sorted list of new records, each from the previous one's place:
 * the levels whose successor is still below the key are a prefix 0..top,
 * and the search restarts at prev[top] instead of the head. */
static void insert_sorted(memkv *m, rec *list)
{
    rec *prev[LEVELS_MAX];
    if (list == NULL) return;
    find_prev(m, rec_key(list), list->klen, prev);
    for (unsigned lvl = m->height; lvl < LEVELS_MAX; lvl++) prev[lvl] = m->head;
    while (list) {
        rec *x = list;
        list = list->next[0];
        const uint8_t *key = rec_key(x);
        int top = -1;
        while (top + 1 < (int)m->height && prev[top + 1]->next[top + 1] &&
               rec_cmp(prev[top + 1]->next[top + 1], key, x->klen) < 0)
            top++;
        if (top >= 0) {
            rec *y = prev[top];
            for (int lvl = top; lvl >= 0; lvl--) {
                while (y->next[lvl] && rec_cmp(y->next[lvl], key, x->klen) < 0) y = y->next[lvl];
                prev[lvl] = y;
            }
        }
        if (x->height > m->height) m->height = x->height;
        for (unsigned lvl = 0; lvl < x->height; lvl++) {
            x->next[lvl] = prev[lvl]->next[lvl];
            prev[lvl]->next[lvl] = x;
            prev[lvl] = x;
        }
    }
}

static void flush_partition(memkv *m, unsigned p)
{
    if ((m->pend_bits[p / 64] >> (p % 64) & 1) == 0) return;
    rec *list = sort_pending(m->pend[p].head);
    m->pend[p].head = m->pend[p].tail = NULL;
    m->pend_bits[p / 64] &= ~(UINT64_C(1) << (p % 64));
    insert_sorted(m, list);
}

/* Order every pending record of partitions lo..hi. */
static void flush_range(memkv *m, unsigned lo, unsigned hi)
{
    for (unsigned w = lo / 64; w <= hi / 64; w++) {
        uint64_t bits = m->pend_bits[w];
        while (bits) {
            unsigned p = w * 64 + (unsigned)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (p >= lo && p <= hi) flush_partition(m, p);
        }
    }
}

/* ---- the map -------------------------------------------------------------- */

memkv *memkv_new(uint64_t seed)
{
    memkv *m = calloc(1, sizeof *m);
    if (m == NULL) return NULL;
    m->chunk_next = CHUNK_BYTES_MIN;
    m->nslots = INDEX_SLOTS_MIN;
    m->slots = slots_new(m->nslots);
    m->head = calloc(1, sizeof *m->head + LEVELS_MAX * sizeof(rec *));
    m->wb_bytes = malloc(WB_BYTES);
    if (m->slots == NULL || m->head == NULL || m->wb_bytes == NULL) {
        memkv_free(m);
        return NULL;
    }
    m->head->height = LEVELS_MAX;
    m->height = 1;
    m->rng = seed ? seed : UINT64_C(0x9E3779B97F4A7C15);
    /* The hash key: two splitmix64 outputs of the seed. */
    uint64_t z = seed;
    for (int i = 0; i < 2; i++) {
        z += UINT64_C(0x9E3779B97F4A7C15);
        uint64_t x = z;
        x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
        x ^= x >> 31;
        if (i == 0) m->k0 = x;
        else m->k1 = x;
    }
    return m;
}

void memkv_free(memkv *m)
{
    if (m == NULL) return;
    for (chunk *c = m->chunks, *prev; c; c = prev) {
        prev = c->prev;
        free(c);
    }
    free(m->slots);
    free(m->head);
    free(m->wb_bytes);
    free(m);
}

/* Put key -> val into the index now (h: its hash). */
static int apply_put(memkv *m, uint64_t h, const uint8_t *key, size_t klen, const uint8_t *val,
                     size_t vlen)
{
    slot *s = index_find(m, h, key, klen);
    if (s->r != NULL) {
        rec *r = s->r;
        if (vlen > r->vcap) {
            /* Room for growing twice as much again: repeated growth stays
             * linear in the arena. */
            size_t cap = vlen < 2 * (size_t)r->vcap ? 2 * (size_t)r->vcap : vlen;
            uint8_t *nv = arena_alloc(m, cap);
            if (nv == NULL) return CF_ENOMEM;
            r->val = nv;
            r->vcap = (uint32_t)cap;
        }
        if (vlen) memcpy(r->val, val, vlen);
        r->vlen = (uint32_t)vlen;
        return CF_OK;
    }
    if ((m->count + 1) * 4 > m->nslots * 3) {
        int err = index_grow(m);
        if (err) return err;
        s = index_find(m, h, key, klen);
    }
    unsigned height = 1;
    while (height < LEVELS_MAX && (next_random(m) & 3) == 0) height++;
    rec *r = arena_alloc(m, sizeof *r + height * sizeof(rec *) + klen + vlen);
    if (r == NULL) return CF_ENOMEM;
    r->height = (uint8_t)height;
    r->klen = (uint32_t)klen;
    r->vlen = r->vcap = (uint32_t)vlen;
    r->next[0] = NULL;
    uint8_t *k = rec_key(r);
    if (klen) memcpy(k, key, klen);
    r->val = k + klen;
    if (vlen) memcpy(r->val, val, vlen);
    s->hash = h;
    s->r = r;
    m->count++;
    unsigned p = partition_of(key, klen);
    if (m->pend[p].tail) m->pend[p].tail->next[0] = r;
    else m->pend[p].head = r;
    m->pend[p].tail = r;
    m->pend_bits[p / 64] |= UINT64_C(1) << (p % 64);
    return CF_OK;
}

/* ---- the put buffer -------------------------------------------------------- */

/* The number of the waiting put of key, or WB_PUTS. */
static size_t wb_find(const memkv *m, uint64_t h, const uint8_t *key, size_t klen)
{
    for (unsigned i = (unsigned)h % WB_TABLE; m->wb_table[i]; i = (i + 1) % WB_TABLE) {
        const wb_put *w = &m->wb[m->wb_table[i] - 1];
        if (w->hash == h && w->klen == klen &&
            (klen == 0 || memcmp(m->wb_bytes + w->off, key, klen) == 0))
            return m->wb_table[i] - 1u;
    }
    return WB_PUTS;
}

/* Apply the waiting puts, in order. On failure the rest still wait. */
static int wb_apply(memkv *m)
{
    for (; m->wb_applied < m->nwb; m->wb_applied++) {
        const wb_put *w = &m->wb[m->wb_applied];
        const uint8_t *k = m->wb_bytes + w->off;
        int err = apply_put(m, w->hash, k, w->klen, k + w->klen, w->vlen);
        if (err) return err;
    }
    if (m->nwb > 0) memset(m->wb_table, 0, sizeof m->wb_table);
    return CF_OK;
}

/* Make room for a put of n bytes: apply what waits, and reuse the bytes
 * (a put ends the life of what the previous calls returned). */
static int wb_reset(memkv *m)
{
    int err = wb_apply(m);
    if (err) return err;
    m->nwb = m->wb_applied = m->wb_used = 0;
    return CF_OK;
}

size_t memkv_count(const memkv *m)
{
    size_t n = m->count;
    for (size_t i = m->wb_applied; i < m->nwb; i++) {
        const wb_put *w = &m->wb[i];
        if (index_find(m, w->hash, m->wb_bytes + w->off, w->klen)->r == NULL) n++;
    }
    return n;
}

static int kv_get(void *ctx, const uint8_t *key, size_t klen, const uint8_t **val, size_t *vlen)
{
    const memkv *m = ctx;
    uint64_t h = key_hash(m, key, klen);
    size_t i = m->wb_applied < m->nwb ? wb_find(m, h, key, klen) : WB_PUTS;
    if (i < WB_PUTS) {
        const wb_put *w = &m->wb[i];
        *val = m->wb_bytes + w->off + w->klen;
        *vlen = w->vlen;
        return CF_OK;
    }
    const slot *s = index_find(m, h, key, klen);
    if (s->r == NULL) return CF_ENOTFOUND;
    *val = s->r->val;
    *vlen = s->r->vlen;
    return CF_OK;
}

static int kv_put(void *ctx, const uint8_t *key, size_t klen, const uint8_t *val, size_t vlen)
{
    memkv *m = ctx;
    int err;
    if (klen > UINT32_MAX || vlen > UINT32_MAX / 2) return CF_EINVAL;
    uint64_t h = key_hash(m, key, klen);
    if (m->wb_applied > 0 && (err = wb_reset(m)) != CF_OK) return err;
    size_t found = m->nwb > 0 ? wb_find(m, h, key, klen) : WB_PUTS;
    wb_put *w = found < WB_PUTS ? &m->wb[found] : NULL;
    if (w != NULL && vlen <= w->vcap) {
        if (vlen) memcpy(m->wb_bytes + w->off + klen, val, vlen);
        w->vlen = (uint32_t)vlen;
        return CF_OK;
    }
    size_t need = klen + vlen;
    if (w != NULL || m->nwb == WB_PUTS || WB_BYTES - m->wb_used < need) {
        if ((err = wb_reset(m)) != CF_OK) return err;
        if (need > WB_BYTES) return apply_put(m, h, key, klen, val, vlen);
    }
    /* Wait in the buffer; fetch the index slot meanwhile. */
    __builtin_prefetch(&m->slots[(size_t)h & (m->nslots - 1)]);
    unsigned i = (unsigned)h % WB_TABLE;
    while (m->wb_table[i]) i = (i + 1) % WB_TABLE;
    m->wb_table[i] = (uint8_t)(m->nwb + 1);
    w = &m->wb[m->nwb++];
    *w = (wb_put){h, (uint32_t)m->wb_used, (uint32_t)klen, (uint32_t)vlen, (uint32_t)vlen};
    if (klen) memcpy(m->wb_bytes + m->wb_used, key, klen);
    if (vlen) memcpy(m->wb_bytes + m->wb_used + klen, val, vlen);
    m->wb_used += need;
    return CF_OK;
}

static bool has_prefix(const rec *r, const uint8_t *prefix, size_t plen)
{
    return r->klen >= plen && (plen == 0 || memcmp(rec_key(r), prefix, plen) == 0);
}

static int kv_scan(void *ctx, const uint8_t *prefix, size_t plen, bool reverse,
                   ledger_kv_visit_fn fn, void *arg)
{
    memkv *m = ctx;
    rec *prev[LEVELS_MAX];
    int err = wb_apply(m);
    if (err) return err;
    if (plen == 0) flush_range(m, 0, PARTITIONS - 1);
    else flush_partition(m, prefix[0]);
    find_prev(m, prefix, plen, prev);
    rec *n = prev[0]->next[0];
    if (!reverse) {
        for (; n && has_prefix(n, prefix, plen); n = n->next[0]) {
            int r = fn(arg, rec_key(n), n->klen, n->val, n->vlen);
            if (r) return r;
        }
        return CF_OK;
    }
    /* Reverse: collect the (rare, small) range, then walk it backwards. */
    size_t count = 0, cap = 0;
    rec **range = NULL;
    for (; n && has_prefix(n, prefix, plen); n = n->next[0]) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            rec **nr = realloc(range, cap * sizeof *nr);
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
        r = fn(arg, rec_key(n), n->klen, n->val, n->vlen);
    }
    free(range);
    return r;
}

int memkv_drain(memkv *m, ledger_kv_visit_fn fn, void *arg)
{
    int err = wb_apply(m);
    if (err) return err;
    /* The skip list's records are in order at level 0, partition after
     * partition: each partition's run merges with its sorted pending list. */
    rec *ordered = m->head->next[0];
    for (unsigned p = 0; p < PARTITIONS; p++) {
        rec *pend = NULL;
        if (m->pend_bits[p / 64] >> (p % 64) & 1) {
            pend = sort_pending(m->pend[p].head);
            m->pend[p].head = m->pend[p].tail = NULL;
            m->pend_bits[p / 64] &= ~(UINT64_C(1) << (p % 64));
        }
        for (;;) {
            bool run = ordered && partition_of(rec_key(ordered), ordered->klen) == p;
            rec *x;
            if (run && (pend == NULL || rec_cmp(ordered, rec_key(pend), pend->klen) < 0)) {
                x = ordered;
                ordered = ordered->next[0];
            } else if (pend) {
                x = pend;
                pend = pend->next[0];
            } else {
                break;
            }
            int r = fn(arg, rec_key(x), x->klen, x->val, x->vlen);
            if (r) return r;
        }
    }
    return CF_OK;
}

static int kv_floor(void *ctx, const uint8_t *key, size_t klen, size_t plen,
                    const uint8_t **fkey, size_t *fklen, const uint8_t **val, size_t *vlen)
{
    memkv *m = ctx;
    rec *prev[LEVELS_MAX];
    /* As the LMDB store does: a prefix longer than the key is a misuse. */
    if (plen > klen) return CF_EINVAL;
    int err = wb_apply(m);
    if (err) return err;
    /* Every key that can answer: the key's partition (within a prefix), or
     * it and all below. */
    unsigned p = partition_of(key, klen);
    if (plen > 0) flush_partition(m, p);
    else flush_range(m, 0, p);
    find_prev(m, key, klen, prev);
    rec *n = prev[0]->next[0], *hit = NULL;
    if (n && rec_cmp(n, key, klen) == 0) hit = n;
    else if (prev[0] != m->head) hit = prev[0];
    if (hit == NULL || !has_prefix(hit, key, plen)) return CF_ENOTFOUND;
    *fkey = rec_key(hit);
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
    kv->latest_only = false;
}
