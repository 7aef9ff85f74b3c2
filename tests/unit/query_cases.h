/* query_cases.h — the position rows of a query, collected for the query
 * tests (test_query.c, test_query_desk.c). Include after <cmocka.h> and
 * rules_cases.h. */
#ifndef COFUND_QUERY_CASES_H
#define COFUND_QUERY_CASES_H

#include "ledger/query.h"
#include "rules_fixture.h"

typedef struct {
    query_position rows[16];
    size_t n;
} pos_rows;

static inline int pos_collect(void *arg, const query_position *p)
{
    pos_rows *r = arg;
    assert_true(r->n < sizeof r->rows / sizeof r->rows[0]);
    r->rows[r->n++] = *p;
    return 0;
}

/* query_positions' rows (holder, project: the filters, NULL for none). */
static inline pos_rows positions(fx *f, const uint8_t *holder, const char *project,
                                 uint64_t as_of)
{
    pos_rows r = {.n = 0};
    assert_int_equal(query_positions(&f->kv, holder, project, as_of, pos_collect, &r), CF_OK);
    return r;
}

#endif
