/* returns.c — see returns.h. */
#include "returns.h"

#include <math.h>
#include <stdbool.h>

#include "crypto/cf_error.h"

#define MS_PER_YEAR (365.0 * 86400000.0)
#define RATE_LOW (-0.999999)
#define RATE_HIGH 1e6

int returns_moic(int64_t paid_in_fen, int64_t distributed_fen, int64_t residual_fen,
                 double *moic)
{
    *moic = 0.0;
    if (paid_in_fen <= 0) return CF_ENOTFOUND;
    *moic = ((double)distributed_fen + (double)residual_fen) / (double)paid_in_fen;
    return CF_OK;
}

/* The net present value at rate r, in yuan (long double: 10^15 fen and
 * 10^6 years of discounting stay finite or go to 0, never NaN). */
static long double npv(const returns_flow *f, size_t n, uint64_t t0, long double r)
{
    long double sum = 0.0L;
    for (size_t i = 0; i < n; i++) {
        long double years = (long double)(f[i].time_ms - t0) / MS_PER_YEAR;
        sum += ((long double)f[i].amount_fen / 100.0L) / powl(1.0L + r, years);
    }
    return sum;
}

int returns_xirr(const returns_flow *flows, size_t n, double *rate)
{
    bool in = false, out = false;
    uint64_t t0 = UINT64_MAX;
    *rate = 0.0;
    if (n == 0) return CF_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (flows[i].amount_fen < 0) in = true;
        if (flows[i].amount_fen > 0) out = true;
        if (flows[i].time_ms < t0) t0 = flows[i].time_ms;
    }
    if (!in || !out) return CF_ENOTFOUND;
    long double lo = RATE_LOW, hi = RATE_HIGH;
    long double vlo = npv(flows, n, t0, lo), vhi = npv(flows, n, t0, hi);
    if (vlo == 0.0L) {
        *rate = (double)lo;
        return CF_OK;
    }
    if ((vlo > 0) == (vhi > 0)) return CF_ENOTFOUND;
    for (int i = 0; i < 400 && hi - lo > 1e-12L; i++) {
        long double mid = lo + (hi - lo) / 2.0L, v = npv(flows, n, t0, mid);
        if (v == 0.0L) {
            lo = hi = mid;
            break;
        }
        if ((v > 0) == (vlo > 0)) {
            lo = mid;
            vlo = v;
        } else {
            hi = mid;
        }
    }
    *rate = (double)(lo + (hi - lo) / 2.0L);
    return CF_OK;
}
