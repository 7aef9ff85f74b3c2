/* state_internal.h — the record writer and reader shared by state.c and
 * state_instruments.c; not an API. Records are fixed-order big-endian
 * fields; strings are one length byte then the bytes. */
#ifndef COFUND_STATE_INTERNAL_H
#define COFUND_STATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "state.h"

enum key_tag {
    TAG_NETWORK = 'N',
    TAG_MEMBER = 'M',
    TAG_MEMBER_NAME = 'm',
    TAG_MEMBER_COUNT = 'K',
    TAG_TIP = 'T',
    TAG_PROGRAM = 'P',
    TAG_PROJECT = 'J',
    TAG_CONTRIBUTION = 'C',
    TAG_QUEUE = 'c',
    TAG_SERIES_DIR = 'I',
    TAG_SERIES_POINT = 'S', /* a series' full blocks of points (state_history.h) */
    /* the other instruments (state_instruments.c) */
    TAG_CREDIT = 'L',    /* a bank's loan, repayment or default */
    TAG_GUARANTEE = 'G', /* a pool's guarantee of a loan */
    TAG_RELEASE = 'g',   /* a repayment a pool released */
    TAG_LEASE = 'V',
    TAG_AWARD = 'W',
    /* forks (state_fork.c) */
    TAG_FORK = 'X',     /* a forked feed's point: its entries from there on never count */
    TAG_DISPUTED = 'U', /* an entry applied as disputed: it cites a forked feed past its point */
    TAG_REBUILD = 'R',  /* a key closed behind what was applied: rebuild (R-KEY) */
    TAG_SUCCEEDED = 'Y', /* a governance key succeeded: by whom, closed where (R-SUCCEED) */
    TAG_GOVERNANCE = 'O', /* the network's governance chain and recovery keys (R-SUCCEED) */
    /* what R-MATCH.6 reads (state_holding.c) */
    TAG_HOLDING_LATEST = 'h', /* a holder's latest positions in a project (a history's head) */
    TAG_HOLDING = 'H',        /* ... the history's full blocks (state_history.h) */
    TAG_ALLOCATED = 'A',      /* what a program allocated against a counterpart in a project */
    /* reversals (state_reverse.c, R-REVERSE) */
    TAG_ENTRY_REC = 'e',   /* a match or an exit, as a reversal needs it */
    TAG_REVERSED = 'z',    /* an entry reversed: by which reversal */
    TAG_ALLOC_POINT = 'k', /* a match's (or its reversal's) allocation from a contribution */
    TAG_COUNTED = 'n',     /* the year a contribution counts as counterpart capital in */
    /* a program's terms over time (state_terms.c, R-AMEND, R-CLOSE) */
    TAG_TERMS = 'p', /* an amendment or a closing, by (program, governance index) */
    /* certifications and subsidies (state_subsidy.c, R-CERT, R-SUBSIDY) */
    TAG_CERT = 'F',       /* a certification, by governance index */
    TAG_CERT_BY = 'f',    /* ... by (project, governance index): its index */
    TAG_SUBSIDY = 'B',    /* a subsidy, by (program, author, index) */
    TAG_SUBSIDIZED = 'b', /* a sale or lease a program subsidised: by which subsidy */
    /* returns (state_returns.c, R-MARK) */
    TAG_VALUATION = 'Q', /* a fund's valuation mark of a project, by (author, index) */
    TAG_PROCEEDS = 'q',  /* an exit's proceeds, when it states them, by (author, index) */
    /* the register's index (state_index.c) */
    TAG_ENTRY_INDEX = 'E', /* an entry applied, by (type, time, author, index) */
};

/* A match's record (state_reverse.c) holds its 64 citations: ~3.5 KiB. */
#define RECORD_BYTES_MAX 4096

/* ---- a bounded writer and reader for records and keys ------------------- */
/* A record or key being written. Start one by setting .len = 0, never with
 * an initialiser (`wr v = {.len = 0}` zeroes all 4 KiB of buf: ~35 KB of
 * memset per appended entry, until 2026-12-05). */
typedef struct {
    uint8_t buf[RECORD_BYTES_MAX];
    size_t len;
} wr;

static inline void w_bytes(wr *w, const void *p, size_t n)
{
    /* Callers only write bounded fields; overflow is a programmer's bug. */
    CF_ASSERT(n <= sizeof w->buf - w->len);
    if (n == 0) return; /* p may be NULL (the network key has no body) */
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}
static inline void w_u8(wr *w, uint8_t v) { w_bytes(w, &v, 1); }
static inline void w_u32(wr *w, uint32_t v)
{
    uint8_t b[4];
    cf_put_be32(b, v);
    w_bytes(w, b, 4);
}
static inline void w_u64(wr *w, uint64_t v)
{
    uint8_t b[8];
    cf_put_be64(b, v);
    w_bytes(w, b, 8);
}
static inline void w_str(wr *w, const char *s, size_t n)
{
    CF_ASSERT(n <= 255);
    w_u8(w, (uint8_t)n);
    w_bytes(w, s, n);
}
static inline void w_cstr(wr *w, const char *s) { w_str(w, s, strlen(s)); }

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    bool bad;
} rd;

static inline void r_bytes(rd *r, void *out, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p + r->pos, n);
    r->pos += n;
}
static inline uint8_t r_u8(rd *r)
{
    uint8_t v;
    r_bytes(r, &v, 1);
    return v;
}
static inline uint32_t r_u32(rd *r)
{
    uint8_t b[4];
    r_bytes(r, b, 4);
    return cf_get_be32(b);
}
static inline uint64_t r_u64(rd *r)
{
    uint8_t b[8];
    r_bytes(r, b, 8);
    return cf_get_be64(b);
}
static inline void r_str(rd *r, char *out, size_t cap)
{
    size_t n = r_u8(r);
    if (n >= cap) {
        r->bad = true;
        out[0] = '\0';
        return;
    }
    r_bytes(r, out, n);
    out[r->bad ? 0 : n] = '\0';
}
static inline int r_done(const rd *r)
{
    return r->bad || r->pos != r->len ? CF_ESTORE_CORRUPT : CF_OK;
}

static inline int get_record(const ledger_kv *kv, const wr *key, rd *r)
{
    const uint8_t *v;
    size_t vlen;
    int err = kv->get(kv->ctx, key->buf, key->len, &v, &vlen);
    if (err) return err;
    *r = (rd){v, vlen, 0, false};
    return CF_OK;
}

static inline int put_record(const ledger_kv *kv, const wr *key, const wr *val)
{
    return kv->put(kv->ctx, key->buf, key->len, val->buf, val->len);
}

static inline void key2(wr *k, uint8_t tag, const void *p, size_t n)
{
    k->len = 0;
    w_u8(k, tag);
    w_bytes(k, p, n);
}

/* The key of a record about one entry of a feed: tag, author, index. */
static inline void key_at(wr *k, uint8_t tag, const uint8_t author[32], uint64_t index)
{
    key2(k, tag, author, 32);
    w_u64(k, index);
}

/* The key of a record about one entry of a feed, grouped by an identifier
 * (a lease by its project, a subsidy by its program): tag, id, author,
 * index. */
static inline void key_id_at(wr *k, uint8_t tag, const char *id, const uint8_t author[32],
                             uint64_t index)
{
    k->len = 0;
    w_u8(k, tag);
    w_cstr(k, id);
    w_bytes(k, author, 32);
    w_u64(k, index);
}

/* Scans that decode records and hand them to a typed visitor. */
struct each_ctx {
    const ledger_kv *kv;
    void *fn;
    void *arg;
};

#endif
