/* returns.h — the arithmetic of returns (issue 15, "Returns"): the multiple
 * on invested capital and the internal rate of return over dated cash
 * flows (XIRR), as docs/rules.md "Figures the queries report" states them.
 * Pure functions of the flows: the report that feeds them (an exit's
 * proceeds, a project's valuation mark) needs entries the ledger does not
 * carry yet.
 */
#ifndef COFUND_RETURNS_H
#define COFUND_RETURNS_H

#include <stddef.h>
#include <stdint.h>

/* A dated cash flow of a holder: negative when paid in (a contribution, a
 * match), positive when distributed (an exit's proceeds) or held (the
 * residual value at the end). */
typedef struct {
    uint64_t time_ms;
    int64_t amount_fen;
} returns_flow;

/* MOIC = (distributed + residual) / paid in. CF_ENOTFOUND (undefined) when
 * nothing was paid in. */
int returns_moic(int64_t paid_in_fen, int64_t distributed_fen, int64_t residual_fen,
                 double *moic);

/* XIRR: the annual rate r with sum(a_i / (1 + r)^((t_i - t_0) / 365 days))
 * = 0, t_0 the earliest flow, bracketed in (-0.999999, 10^6) and found by
 * Newton's method kept inside the bracket (bisection when a step would leave
 * it), to 1e-12: a few passes over the flows, not one per halving.
 * CF_ENOTFOUND (undefined) when the flows do not change sign, span less
 * than a day (RETURNS_DAY_MS), or the net present value does not change
 * sign over that range (no rate makes it 0); CF_EINVAL for no flows. Flows
 * need not be in order. */
#define RETURNS_DAY_MS UINT64_C(86400000)
int returns_xirr(const returns_flow *flows, size_t n, double *rate);

#endif
