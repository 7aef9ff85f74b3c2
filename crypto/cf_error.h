/* cf_error.h — the one list of error codes shared by every cofund layer.
 *
 * All errors are negative ints, 0 is success. The list is an X-macro so the
 * enum, the symbolic name and the message never drift apart. Three tiers are
 * never mixed: a programmer's bug fails a CF_ASSERT (below) and aborts; bad
 * input returns one of these codes; an environment failure (disk full, I/O)
 * returns one of these codes and the operation is rolled back.
 *
 * Add new codes at the end of the block they belong to; codes are not
 * persisted anywhere, so their numeric values may change between versions.
 */
#ifndef COFUND_CF_ERROR_H
#define COFUND_CF_ERROR_H

#define CF_ERRORS(X)                                                          \
    /* general */                                                             \
    X(NOMEM, "out of memory")                                                 \
    X(INVAL, "invalid argument")                                              \
    X(IO, "input/output error")                                               \
    X(NOSPC, "no space left on device")                                       \
    X(NOTFOUND, "not found")                                                  \
    X(EXISTS, "already exists")                                               \
    X(RANGE, "value out of range")                                            \
    X(OVERFLOW, "arithmetic overflow")                                        \
    X(TOOBIG, "input exceeds its size limit")                                 \
    X(FORMAT, "malformed input")                                              \
    X(INCOMPLETE, "input is incomplete")                                      \
    X(CRYPTO, "cryptographic library failure")                                \
    X(ACCES, "permission denied")                                             \
    /* CBOR (crypto/cbor.h) */                                                \
    X(CBOR_TRUNCATED, "CBOR: truncated item")                                 \
    X(CBOR_NONCANONICAL, "CBOR: non-canonical encoding")                      \
    X(CBOR_UNSUPPORTED, "CBOR: unsupported type (float, tag, simple, indefinite)") \
    X(CBOR_TYPE, "CBOR: unexpected type")                                     \
    X(CBOR_LIMIT, "CBOR: length or depth over its limit")                     \
    X(CBOR_TRAILING, "CBOR: trailing bytes after the item")                   \
    X(CBOR_KEY_ORDER, "CBOR: map keys not sorted or duplicated")              \
    X(CBOR_UTF8, "CBOR: text string is not valid UTF-8")                      \
    X(CBOR_BUFFER, "CBOR: output buffer too small")                           \
    X(CBOR_STATE, "CBOR: encoder misuse (item count or nesting)")             \
    /* Merkle proofs (crypto/merkle.h) */                                     \
    X(HASH_LEN, "hash is not 32 bytes")                                       \
    X(PROOF_LEN, "proof has the wrong number of hashes")                      \
    X(PROOF_MISMATCH, "proof does not lead to the expected root")             \
    X(TREE_RANGE, "index or size outside the tree")                           \
    /* signed notes, checkpoints, tlog proofs (crypto/note.h) */              \
    X(NOTE_FORMAT, "signed note: malformed")                                  \
    X(NOTE_TOO_MANY_SIGS, "signed note: too many signatures")                 \
    X(NOTE_NO_SIG, "signed note: no signature by the expected key")           \
    X(NOTE_BAD_SIG, "signed note: signature does not verify")                 \
    X(CKPT_FORMAT, "checkpoint: malformed")                                   \
    X(VKEY_FORMAT, "verifier key: malformed")                                 \
    X(TLOGPROOF_FORMAT, "tlog-proof: malformed")                              \
    /* key files (crypto/keyfile.h) */                                        \
    X(KEY_PERMS, "key file is readable by group or others (want mode 0600)")  \
    X(KEY_FORMAT, "key file: malformed")                                      \
    X(KEY_PASSPHRASE, "wrong passphrase for key file")                        \
    X(KEY_NEED_PASSPHRASE, "key file is encrypted: passphrase required")      \
    X(KEY_NOT_REGULAR, "key file is not a regular file (symlink, FIFO, device)") \
    X(KEY_PASSFILE, "passphrase file: first line empty or holds a NUL byte")  \
    /* handshake (crypto/handshake.h) */                                      \
    X(HS_BAD_SIG, "handshake: the peer's signature does not verify")          \
    X(HS_PEER, "handshake: peer is ourselves or not the expected member")     \
    /* store (store/store.h) */                                               \
    X(STORE, "store: database error")                                         \
    X(MAP_FULL, "store: map full (grow and retry)")                           \
    X(STORE_VERSION, "store: unsupported schema version")                     \
    X(STORE_READONLY, "store: opened read-only")                              \
    X(STORE_CORRUPT, "store: stored data fails its invariants")               \
    X(STORE_FEEDS_MAX, "store: too many feeds in one home")                   \
    /* ledger (node/) */                                                      \
    X(ENTRY, "entry: malformed")                                              \
    X(REJECTED, "rejected by a rule")                                         \
    X(PENDING, "waiting for entries not yet replicated")                      \
    X(FORK, "fork: inconsistent checkpoints by one author")                   \
    X(BEHIND, "this home's own feed is behind a copy signed by its key")      \
    X(WRONG_NETWORK, "belongs to another network")                            \
    X(NO_NETWORK, "home has not joined a network")                            \
    X(BUNDLE, "bundle: malformed")                                            \
    X(VERIFY, "verification failed")

#define CF__POS(name, msg) CF_POS_##name,
enum cf_err_pos { CF_ERRORS(CF__POS) CF__ERR_COUNT };
#undef CF__POS

#define CF__NEG(name, msg) CF_E##name = -(int)CF_POS_##name - 1,
enum cf_err { CF_OK = 0, CF_ERRORS(CF__NEG) };
#undef CF__NEG

/* "CF_ENOMEM" for CF_ENOMEM; "CF_E?" for codes outside the list. Static. */
const char *cf_errname(int err);
/* Human message for err, in the language of crypto/cf_i18n.h; "unknown
 * error" outside the list. Static. */
const char *cf_strerror(int err);
/* The same in English whatever the language (what is stored or sent). */
const char *cf_strerror_en(int err);

/* The invariant check for a programmer's bug: a NULL where the contract
 * says non-NULL, an index past a buffer the caller sized, a call out of
 * order. It stays on in every build, release (NDEBUG) included: on failure
 * it prints "file:line: function: invariant failed: cond" to stderr and
 * aborts. Use it for cheap checks; a check too costly for release (one that
 * walks data) is a plain assert, and says so. Never for input: bad input
 * returns a code above. */
#define CF_ASSERT(cond)                                                       \
    (__builtin_expect(!!(cond), 1)                                            \
         ? (void)0                                                            \
         : cf_assert_fail(__FILE__, __LINE__, __func__, #cond))
_Noreturn void cf_assert_fail(const char *file, int line, const char *func,
                              const char *cond) __attribute__((cold));

#endif
