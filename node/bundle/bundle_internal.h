/* bundle_internal.h — what the bundle writer (bundle_write.c) and reader
 * (bundle_read.c) share: record layout constants and the structural checks
 * both apply, so that the writer never writes what the reader refuses.
 * Private to node/bundle_*.c. The format and the contract are in bundle.h.
 */
#ifndef COFUND_BUNDLE_INTERNAL_H
#define COFUND_BUNDLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "crypto/cbor.h"
#include "crypto/cf_util.h"
#include "crypto/note.h"
#include "ledger/entry.h"

#define RECORD_HEAD_BYTES BUNDLE_RECORD_HEAD_BYTES
#define BUNDLE_VERSION 1
/* The longest map key is "checkpoint"; the largest map has three keys. We
 * accept a few more so that a map with an unknown key is reported as such. */
#define KEY_BYTES_MAX 16
#define MAP_PAIRS_MAX 8
/* A feed payload beyond its checkpoint: map head (1), "from" (5), uint (9),
 * "author" (7), bstr 32 (34), "checkpoint" (11), text head (3) = 70. */
#define FEED_OVERHEAD_BYTES 96
#define FEED_PAYLOAD_BYTES_MAX (NOTE_BYTES_MAX + FEED_OVERHEAD_BYTES)
/* A checkpoint record's payload is the signed note itself. */
#define CHECKPOINT_PAYLOAD_BYTES_MAX NOTE_BYTES_MAX
/* Header (42 bytes) and end (at most 74 bytes) payloads. */
#define SMALL_PAYLOAD_BYTES_MAX 128

_Static_assert(sizeof BUNDLE_MAGIC - 1 == BUNDLE_MAGIC_BYTES, "magic size");
_Static_assert(ENTRY_BYTES_MAX <= BUNDLE_PAYLOAD_BYTES_MAX,
               "an entry fits the reader's buffer");
_Static_assert(FEED_PAYLOAD_BYTES_MAX <= BUNDLE_PAYLOAD_BYTES_MAX,
               "a feed record with the largest checkpoint fits the buffer");
_Static_assert(CHECKPOINT_PAYLOAD_BYTES_MAX <= BUNDLE_PAYLOAD_BYTES_MAX,
               "a checkpoint record fits the buffer");
_Static_assert(BUNDLE_PAYLOAD_BYTES_MAX <= UINT32_MAX, "lengths are u32");

/* The record type's name for messages; NULL for an unknown type. */
const char *bundle__type_name(uint8_t type);

/* What the structure of a signed checkpoint tells without keys. */
typedef struct {
    uint64_t size;                        /* its tree size */
    uint8_t origin_hash[CF_SHA256_BYTES]; /* SHA-256 of its origin line */
} bundle__ckpt_shape;

/* Structure-only check of a signed checkpoint: the note parses and its text
 * is a checkpoint. On failure *why names the defect (a static string). */
int bundle__checkpoint_shape(const char *text, size_t len, bundle__ckpt_shape *out,
                             const char **why);

/* The next map key must be exactly want; CF_EFORMAT for another key. */
int bundle__expect_key(cbor_rd *rd, const char *want);

/* The authors of the feed records so far: a bundle has one F record per
 * author (docs/format.md). An open-addressing set of indexes (+ 1; 0 is
 * empty) into authors; slots a power of two, twice the capacity. Zeroed
 * when empty. */
typedef struct {
    uint8_t (*authors)[32];
    uint32_t *slots;
    size_t n, cap, nslots;
} bundle__author_set;

/* Add author: CF_OK, 1 when it was there already (nothing changes), or
 * CF_ENOMEM. */
int bundle__author_set_add(bundle__author_set *s, const uint8_t author[32]);
void bundle__author_set_free(bundle__author_set *s);

#endif
