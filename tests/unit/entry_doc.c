/* entry_doc.c — the second entry encoder of the test_entry_* files (entry_doc.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "entry_doc.h"
#include "ledger/diag.h"
#include "ledger/entry.h"
#include "testutil.h"

uint8_t g_buf[BUF_BYTES];
diag g_diag;
uint8_t *g_held; /* the exact-size input the last accepted entry points into */

int release_held(void **state)
{
    (void)state;
    free(g_held);
    g_held = NULL;
    return 0;
}

/* Decode p[0..n) and expect `code` under R-ENV, with a message that starts
 * with `field` followed by ':' (the field's path, or "entry"). */
void expect_reject_bytes(const uint8_t *p, size_t n, int code, const char *field)
{
    uint8_t *in = tu_dup_exact(p, n);
    entry e;
    diag_clear(&g_diag);
    int rc = entry_decode(in, n, &e, &g_diag);
    free(in);
    size_t fl = strlen(field);
    bool named = strncmp(g_diag.text, field, fl) == 0 && g_diag.text[fl] == ':';
    if (rc != code || strcmp(g_diag.rule, "R-ENV") != 0 || !named)
        fail_msg("want %s at \"%s\", got %s [%s] \"%s\"", cf_errname(code), field,
                 cf_errname(rc), g_diag.rule, g_diag.text);
}

/* Decode p[0..n) into *e (its texts point into g_held) and check that the
 * re-encoding is byte-identical. */
void expect_accept_bytes(const uint8_t *p, size_t n, entry *e)
{
    free(g_held);
    g_held = tu_dup_exact(p, n);
    diag_clear(&g_diag);
    int rc = entry_decode(g_held, n, e, &g_diag);
    if (rc != CF_OK) fail_msg("rejected: %s \"%s\"", cf_errname(rc), g_diag.text);
    uint8_t re[ENTRY_BYTES_MAX];
    size_t len = 0;
    rc = entry_encode(e, re, sizeof re, &len, &g_diag);
    if (rc != CF_OK) fail_msg("re-encoding: %s \"%s\"", cf_errname(rc), g_diag.text);
    assert_int_equal(len, n);
    assert_memory_equal(re, g_held, n);
}

doc g_doc;

static void pool_put(doc *d, const void *p, size_t n)
{
    assert_true(n <= sizeof d->pool - d->used);
    memmove(d->pool + d->used, p, n);
    d->used += n;
}

/* The shortest head of (major, arg), RFC 8949 §4.2.1. */
static void pool_head(doc *d, unsigned major, uint64_t arg)
{
    uint8_t h[9];
    size_t n = 0;
    if (arg < 24) {
        h[0] = (uint8_t)(major << 5 | arg);
        n = 1;
    } else {
        unsigned k = arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
        h[0] = (uint8_t)(major << 5 | (k == 1 ? 24 : k == 2 ? 25 : k == 4 ? 26 : 27));
        for (unsigned i = 0; i < k; i++) h[1 + i] = (uint8_t)(arg >> (8 * (k - 1 - i)));
        n = 1 + k;
    }
    pool_put(d, h, n);
}

static val v_open(const doc *d)
{
    val v = {d->used, 0};
    return v;
}

static val v_close(const doc *d, val v)
{
    v.len = d->used - v.off;
    return v;
}

val V_uint(doc *d, uint64_t u)
{
    val v = v_open(d);
    pool_head(d, 0, u);
    return v_close(d, v);
}

val V_neg(doc *d, uint64_t n) /* -1 - n */
{
    val v = v_open(d);
    pool_head(d, 1, n);
    return v_close(d, v);
}

val V_textn(doc *d, const char *s, size_t n)
{
    val v = v_open(d);
    pool_head(d, 3, n);
    pool_put(d, s, n);
    return v_close(d, v);
}

val V_text(doc *d, const char *s)
{
    return V_textn(d, s, strlen(s));
}

val V_rep(doc *d, char c, size_t n) /* text of n copies of c */
{
    val v = v_open(d);
    pool_head(d, 3, n);
    for (size_t i = 0; i < n; i++) pool_put(d, &c, 1);
    return v_close(d, v);
}

val V_bytes(doc *d, uint8_t first, size_t n) /* first, first+1, ... */
{
    val v = v_open(d);
    pool_head(d, 2, n);
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(first + i);
        pool_put(d, &b, 1);
    }
    return v_close(d, v);
}

val V_hex(doc *d, const char *hex) /* raw bytes, canonical or not */
{
    uint8_t tmp[256];
    val v = v_open(d);
    pool_put(d, tmp, tu_unhex(hex, tmp, sizeof tmp));
    return v_close(d, v);
}

val V_array(doc *d, size_t n, const val *items)
{
    val v = v_open(d);
    pool_head(d, 4, n);
    for (size_t i = 0; i < n; i++) pool_put(d, d->pool + items[i].off, items[i].len);
    return v_close(d, v);
}

val V_texts(doc *d, size_t n, const char *const *s)
{
    val items[8];
    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++) items[i] = V_text(d, s[i]);
    return V_array(d, n, items);
}

val V_ratio(doc *d, uint64_t num, uint64_t den)
{
    val items[2] = {V_uint(d, num), V_uint(d, den)};
    return V_array(d, 2, items);
}

/* Canonical order of text keys shorter than 24 bytes: by length, then bytes. */
static int key_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb) return la < lb ? -1 : 1;
    return memcmp(a, b, la);
}

val V_map(doc *d, const dmap *m)
{
    size_t order[DMAP_KEYS_MAX];
    for (size_t i = 0; i < m->n; i++) {
        size_t j = i;
        while (!m->unsorted && j > 0 && key_cmp(m->f[order[j - 1]].key, m->f[i].key) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    val v = v_open(d);
    pool_head(d, 5, m->n);
    for (size_t i = 0; i < m->n; i++) {
        val k = V_text(d, m->f[order[i]].key);
        (void)k;
        pool_put(d, d->pool + m->f[order[i]].v.off, m->f[order[i]].v.len);
    }
    return v_close(d, v);
}

void m_add(dmap *m, const char *key, val v) /* even a duplicate */
{
    assert_true(m->n < DMAP_KEYS_MAX);
    m->f[m->n].key = key;
    m->f[m->n].v = v;
    m->n++;
}

void m_set(dmap *m, const char *key, val v)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->f[i].key, key) == 0) {
            m->f[i].v = v;
            return;
        }
    m_add(m, key, v);
}

void m_del(dmap *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->f[i].key, key) == 0) {
            memmove(&m->f[i], &m->f[i + 1], (m->n - i - 1) * sizeof m->f[0]);
            m->n--;
            return;
        }
    fail_msg("no key %s to delete", key);
}

void doc_set_body(doc *d, val v)
{
    m_set(&d->env, "body", v);
    d->body_raw = true;
}

/* The document's bytes in g_buf. */
size_t doc_bytes(doc *d)
{
    if (!d->body_raw) m_set(&d->env, "body", V_map(d, &d->body));
    val top = V_map(d, &d->env);
    assert_true(top.len <= sizeof g_buf);
    memcpy(g_buf, d->pool + top.off, top.len);
    return top.len;
}

void doc_reject(doc *d, int code, const char *field)
{
    size_t n = doc_bytes(d);
    expect_reject_bytes(g_buf, n, code, field);
}

void doc_accept(doc *d, entry *e)
{
    size_t n = doc_bytes(d);
    expect_accept_bytes(g_buf, n, e);
}
