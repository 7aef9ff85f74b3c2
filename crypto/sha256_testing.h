/* sha256_testing.h — the SHA-256 backend switch, for tests and the bench
 * only (sha256.c). Production code never calls these: the first hash picks
 * the SHA extensions when the processor has them, libsodium otherwise. */
#ifndef COFUND_SHA256_TESTING_H
#define COFUND_SHA256_TESTING_H

#include <stdbool.h>

/* Whether this processor has the x86 SHA extensions (and SSE4.1, SSSE3). */
bool cf_sha256_has_extensions(void);
/* Use the extensions (on) or libsodium (off) for the contexts begun from
 * now on. Returns false, changing nothing, when on and the processor lacks
 * them. Not for use while other threads hash. */
bool cf_sha256_use_extensions(bool on);

#endif
