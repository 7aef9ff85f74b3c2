/* entry_doc.h — the second entry encoder of the test_entry_* files: CBOR
 * documents written with hand-made heads and keys sorted here by their
 * encoded bytes (not taken from entry.c's field tables), edited key by key,
 * and the checks that decode them.
 *
 * A document's items live in its pool: a val is an offset into d->pool,
 * valid until the pool is reset (the doc_* of entry_golden.h reset it).
 */
#ifndef COFUND_ENTRY_DOC_H
#define COFUND_ENTRY_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/diag.h"
#include "ledger/entry.h"

#define BUF_BYTES (2 * ENTRY_BYTES_MAX)

extern uint8_t g_buf[BUF_BYTES]; /* the bytes of the last doc_bytes */
extern diag g_diag;              /* the diagnostic of the last decode or encode */
extern uint8_t *g_held; /* the exact-size input the last accepted entry points into */

/* A cmocka teardown that frees g_held. */
int release_held(void **state);

/* Decode p[0..n) and expect `code` under R-ENV, with a message that starts
 * with `field` followed by ':' (the field's path, or "entry"). */
void expect_reject_bytes(const uint8_t *p, size_t n, int code, const char *field);

/* Decode p[0..n) into *e (its texts point into g_held) and check that the
 * re-encoding is byte-identical. */
void expect_accept_bytes(const uint8_t *p, size_t n, entry *e);

typedef struct {
    size_t off, len; /* an encoded item in the document's pool */
} val;

#define DMAP_KEYS_MAX 16

typedef struct {
    struct {
        const char *key;
        val v;
    } f[DMAP_KEYS_MAX];
    size_t n;
    bool unsorted; /* write keys as added (to test misplaced keys) */
} dmap;

typedef struct {
    uint8_t pool[8 * ENTRY_BYTES_MAX];
    size_t used;
    dmap env, body;
    bool body_raw; /* env "body" was set by the test, not built from .body */
} doc;

extern doc g_doc;

/* Items, written into d's pool with the shortest heads (RFC 8949 §4.2.1). */
val V_uint(doc *d, uint64_t u);
val V_neg(doc *d, uint64_t n);                /* -1 - n */
val V_textn(doc *d, const char *s, size_t n);
val V_text(doc *d, const char *s);
val V_rep(doc *d, char c, size_t n);          /* text of n copies of c */
val V_bytes(doc *d, uint8_t first, size_t n); /* first, first+1, ... */
val V_hex(doc *d, const char *hex);           /* raw bytes, canonical or not */
val V_array(doc *d, size_t n, const val *items);
val V_texts(doc *d, size_t n, const char *const *s);
val V_ratio(doc *d, uint64_t num, uint64_t den);
/* Keys sorted by encoded bytes, unless m->unsorted. */
val V_map(doc *d, const dmap *m);

void m_add(dmap *m, const char *key, val v); /* even a duplicate */
void m_set(dmap *m, const char *key, val v);
void m_del(dmap *m, const char *key);        /* fails the test when absent */

/* Sets the envelope's "body" to v as it is (not built from d->body). */
void doc_set_body(doc *d, val v);
/* The document's bytes, written to g_buf; returns their length. */
size_t doc_bytes(doc *d);
/* expect_reject_bytes / expect_accept_bytes on the document's bytes. */
void doc_reject(doc *d, int code, const char *field);
void doc_accept(doc *d, entry *e);

#endif
