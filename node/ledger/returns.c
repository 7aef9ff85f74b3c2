/* returns.c — see returns.h. */
#include "returns.h"

#include <math.h>
#include <stdbool.h>

#include "crypto/cf_error.h"

#define MS_PER_YEAR (365.0 * 86400000.0)
#define RATE_LOW (-0.999999)
#define RATE_HIGH 1e6
#define RATE_EPS 1e-12L
#define NEWTON_STEPS_MAX 100

int returns_moic(int64_t paid_in_fen, int64_t distributed_fen, int64_t residual_fen,
                 double *moic)
{
    *moic = 0.0;
    if (paid_in_fen <= 0) return CF_ENOTFOUND;
    *moic = ((double)distributed_fen + (double)residual_fen) / (double)paid_in_fen;
    return CF_OK;
}

/* The net present value at rate r, in yuan, and its derivative in r (long
 * double: 10^15 fen and thousands of years of discounting stay finite or go
 * to 0 or infinity with their sign). One log per call, one exp per flow. */
static void npv(const returns_flow *f, size_t n, uint64_t t0, long double r, long double *v,
                long double *dv)
{
    long double l = log1pl(r), sum = 0.0L, dsum = 0.0L;
    for (size_t i = 0; i < n; i++) {
        long double years = (long double)(f[i].time_ms - t0) / MS_PER_YEAR;
        long double pv = ((long double)f[i].amount_fen / 100.0L) * expl(-years * l);
        sum += pv;
        dsum -= years * pv;
    }
    *v = sum;
    if (dv) *dv = dsum / (1.0L + r);
}

static bool same_sign(long double a, long double b) { return (a > 0) == (b > 0); }

int returns_xirr(const returns_flow *flows, size_t n, double *rate)
{
    bool in = false, out = false;
    uint64_t t0 = UINT64_MAX, t1 = 0;
    *rate = 0.0;
    if (n == 0) return CF_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (flows[i].amount_fen < 0) in = true;
        if (flows[i].amount_fen > 0) out = true;
        if (flows[i].time_ms < t0) t0 = flows[i].time_ms;
        if (flows[i].time_ms > t1) t1 = flows[i].time_ms;
    }
    /* Flows within one day have no annual rate worth the name: over a span
     * of seconds every rate gives nearly the same net value, and the solver
     * would return its bracket's end (-100%). As Excel's XIRR counts whole
     * days, a rate needs flows a day apart at least. */
    if (!in || !out || t1 - t0 < RETURNS_DAY_MS) return CF_ENOTFOUND;
    long double lo = RATE_LOW, hi = RATE_HIGH, vlo, vhi, v, dv;
    npv(flows, n, t0, lo, &vlo, NULL);
    npv(flows, n, t0, hi, &vhi, NULL);
    if (vlo == 0.0L) {
        *rate = (double)lo;
        return CF_OK;
    }
    if (same_sign(vlo, vhi)) return CF_ENOTFOUND;
    /* Newton's method inside the bracket [lo, hi], which every step
     * narrows; a step that would leave it (or a flat slope) bisects
     * instead. Then bisection, should Newton not have settled. */
    long double r = 0.1L;
    for (int i = 0; i < NEWTON_STEPS_MAX && hi - lo > RATE_EPS; i++) {
        npv(flows, n, t0, r, &v, &dv);
        if (v == 0.0L) {
            *rate = (double)r;
            return CF_OK;
        }
        if (same_sign(v, vlo)) lo = r, vlo = v;
        else hi = r;
        long double next = r - v / dv;
        if (!(dv != 0.0L && next > lo && next < hi)) next = lo + (hi - lo) / 2.0L;
        long double step = fabsl(next - r);
        r = next;
        if (step <= RATE_EPS * (1.0L + fabsl(r))) {
            *rate = (double)r;
            return CF_OK;
        }
    }
    for (int i = 0; i < 400 && hi - lo > RATE_EPS; i++) {
        long double mid = lo + (hi - lo) / 2.0L;
        npv(flows, n, t0, mid, &v, NULL);
        if (v == 0.0L) {
            lo = hi = mid;
            break;
        }
        if (same_sign(v, vlo)) {
            lo = mid;
            vlo = v;
        } else {
            hi = mid;
        }
    }
    *rate = (double)(lo + (hi - lo) / 2.0L);
    return CF_OK;
}
