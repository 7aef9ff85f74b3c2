/* keyfile.c — Ed25519 member keys on disk (see keyfile.h).
 *
 * FORMAT
 *
 * A key file is ASCII text of exactly four lines, in this order, each ended
 * by a single '\n' (no '\r', no blank lines, no comments, nothing after the
 * fourth line). Fields are separated by exactly one space.
 *
 *   cofund-key-v1
 *   public <pk>
 *   kdf none
 *   secret <seed>
 *
 * or, protected by a passphrase:
 *
 *   cofund-key-v1
 *   public <pk>
 *   kdf argon2id13 ops=<opslimit> mem=<memlimit> salt=<salt>
 *   secret <sealed>
 *
 *   <pk>        the 32-byte Ed25519 public key as 64 lowercase hex digits.
 *   <seed>      the 32-byte Ed25519 seed (RFC 8032 private key) in padded
 *               base64 (RFC 4648 §4, 44 characters).
 *   <opslimit>  Argon2id passes, decimal, no sign, no leading zeros,
 *               in [1, KEYFILE_OPSLIMIT_MAX].
 *   <memlimit>  Argon2id memory in bytes, decimal as above, a multiple of
 *               1024 (Argon2 counts KiB; any other value would be a second
 *               spelling of the same parameters), in [8192,
 *               KEYFILE_MEMLIMIT_MAX].
 *   <salt>      crypto_pwhash_SALTBYTES (16) random bytes, padded base64.
 *   <sealed>    nonce || crypto_secretbox_easy(seed, nonce, key), padded
 *               base64: 24 + 16 + 32 = 72 bytes, 96 characters. key is
 *               crypto_pwhash(32 bytes, passphrase, salt, opslimit, memlimit,
 *               crypto_pwhash_ALG_ARGON2ID13); the nonce is random.
 *
 * All base64 is strict (cf_b64_decode: canonical, padded, no whitespace), so
 * one key has exactly one plain spelling. Any deviation is CF_EKEY_FORMAT.
 * The public key is in the clear so that commands needing only the public
 * key never ask for the passphrase; it is checked against the seed whenever
 * the seed is loaded (CF_EKEY_FORMAT on mismatch).
 *
 * Argon2 bounds: a key file may come from elsewhere (a backup, a colleague),
 * so its parameters are input from a stranger. Without the upper bounds a
 * file saying mem=1099511627776 would make us try to allocate 1 TiB. Files we
 * write use crypto_pwhash_argon2id_{OPS,MEM}LIMIT_INTERACTIVE (2 passes,
 * 64 MiB).
 *
 * Wrong passphrase vs tampering: the secretbox MAC fails in both cases and
 * they cannot be told apart, so a modified <sealed> or <salt> (or a changed
 * ops/mem within bounds) reports CF_EKEY_PASSPHRASE. A modified <pk> is
 * caught by the seed check (CF_EKEY_FORMAT).
 *
 * FILES
 *
 * Created with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, written in full,
 * fsync'ed, closed, and the directory fsync'ed so the new name survives a
 * crash; on any failure the partial file is unlinked. Opened for reading
 * with O_NOFOLLOW (a symlink as the last component is refused with
 * CF_EKEY_NOT_REGULAR; symlinks in directory components are followed) and
 * O_NONBLOCK (so opening a FIFO cannot hang before fstat rejects it); the
 * checks then run on the open descriptor (fstat), never on the name, so the
 * file cannot be swapped between check and read. Only mode bits are checked
 * (st_mode & 077 must be 0), which also holds when running as root.
 *
 * SECRETS
 *
 * Every buffer that held the seed, the derived key, the base64 of the seed
 * or the file text is wiped with sodium_memzero on every path. Buffers are on
 * the stack and not mlock'ed.
 */
#include "keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cf_error.h"
#include "cf_util.h"

#define KF_MAGIC "cofund-key-v1"
#define KF_PK_BYTES crypto_sign_PUBLICKEYBYTES
#define KF_SEED_BYTES crypto_sign_SEEDBYTES
#define KF_SALT_BYTES crypto_pwhash_SALTBYTES
#define KF_NONCE_BYTES crypto_secretbox_NONCEBYTES
#define KF_BOXKEY_BYTES crypto_secretbox_KEYBYTES
#define KF_SEALED_BYTES \
    (KF_NONCE_BYTES + crypto_secretbox_MACBYTES + KF_SEED_BYTES)
#define KF_OPSLIMIT_MIN crypto_pwhash_argon2id_OPSLIMIT_MIN
#define KF_MEMLIMIT_MIN crypto_pwhash_argon2id_MEMLIMIT_MIN
#define KF_OPSLIMIT_DEFAULT crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
#define KF_MEMLIMIT_DEFAULT crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE
/* Argon2 allocates memory in KiB blocks. */
#define KF_MEMLIMIT_UNIT 1024
/* UINT64_MAX has 20 decimal digits. */
#define KF_DECIMAL_DIGITS_MAX 20
/* Padded base64 length of n bytes, as a constant expression. */
#define KF_B64_LEN(n) (((n) + 2) / 3 * 4)
/* Longest file we write: four lines with the longest field values. */
#define KF_TEXT_BYTES_MAX                                                   \
    (sizeof KF_MAGIC + sizeof "public " + 2 * KF_PK_BYTES +                 \
     sizeof "kdf argon2id13 ops= mem= salt=" + 2 * KF_DECIMAL_DIGITS_MAX +  \
     KF_B64_LEN(KF_SALT_BYTES) + sizeof "secret " +                         \
     KF_B64_LEN(KF_SEALED_BYTES))

_Static_assert(KF_PK_BYTES == sizeof(((keyfile_keypair *)0)->pk), "pk size");
_Static_assert(KF_PK_BYTES == 32, "a public key's hex is CF_HEX32_BYTES");
_Static_assert(crypto_sign_SECRETKEYBYTES ==
                   sizeof(((keyfile_keypair *)0)->sk), "sk size");
_Static_assert(KF_BOXKEY_BYTES <= crypto_pwhash_argon2id_BYTES_MAX &&
                   KF_BOXKEY_BYTES >= crypto_pwhash_argon2id_BYTES_MIN,
               "Argon2id can derive a secretbox key");
_Static_assert(KF_OPSLIMIT_MIN <= KF_OPSLIMIT_DEFAULT &&
                   KF_OPSLIMIT_DEFAULT <= KEYFILE_OPSLIMIT_MAX,
               "default opslimit within what we accept");
_Static_assert(KF_MEMLIMIT_MIN <= KF_MEMLIMIT_DEFAULT &&
                   KF_MEMLIMIT_DEFAULT <= KEYFILE_MEMLIMIT_MAX &&
                   KF_MEMLIMIT_DEFAULT % KF_MEMLIMIT_UNIT == 0 &&
                   KF_MEMLIMIT_MIN % KF_MEMLIMIT_UNIT == 0,
               "default memlimit within what we accept");
_Static_assert(KEYFILE_MEMLIMIT_MAX <= crypto_pwhash_argon2id_MEMLIMIT_MAX &&
                   KEYFILE_OPSLIMIT_MAX <= crypto_pwhash_argon2id_OPSLIMIT_MAX,
               "our bounds within libsodium's");
_Static_assert(KF_TEXT_BYTES_MAX <= KEYFILE_BYTES_MAX,
               "every file we write is one we can read");

/* A key file's fields, decoded. Holds the seed (plain) or the sealed seed:
 * wipe with sodium_memzero. */
typedef struct {
    uint8_t pk[KF_PK_BYTES];
    int sealed; /* 0: kdf none, secret = seed; 1: kdf argon2id13 */
    unsigned long long opslimit;
    size_t memlimit;
    uint8_t salt[KF_SALT_BYTES];
    uint8_t secret[KF_SEALED_BYTES]; /* seed, or nonce || secretbox(seed) */
} kf_fields;

/* ---- bounds-checked reading of the text ---------------------------------- */

/* A cursor over bytes not yet consumed. Every rd_ function consumes only on
 * success and never reads past p + len. */
typedef struct {
    const char *p;
    size_t len;
} kf_rd;

static void rd_skip(kf_rd *r, size_t n)
{
    r->p += n;
    r->len -= n;
}

/* Take the next line, without its '\n', off r. A last line without '\n' is
 * not a line. */
static int rd_line(kf_rd *r, kf_rd *line)
{
    const char *nl = r->len ? memchr(r->p, '\n', r->len) : NULL;
    if (nl == NULL) return CF_EKEY_FORMAT;
    line->p = r->p;
    line->len = (size_t)(nl - r->p);
    rd_skip(r, line->len + 1);
    return CF_OK;
}

/* Consume the literal lit from the start of r. */
static int rd_literal(kf_rd *r, const char *lit)
{
    size_t n = strlen(lit);
    if (r->len < n || memcmp(r->p, lit, n) != 0) return CF_EKEY_FORMAT;
    rd_skip(r, n);
    return CF_OK;
}

static int rd_end(const kf_rd *r)
{
    return r->len == 0 ? CF_OK : CF_EKEY_FORMAT;
}

/* Consume a canonical unsigned decimal: digits only, at least one, no
 * leading zero (except "0" itself), no overflow. */
static int rd_decimal(kf_rd *r, uint64_t *out)
{
    size_t n = 0;
    uint64_t v = 0;
    while (n < r->len && r->p[n] >= '0' && r->p[n] <= '9') {
        unsigned d = (unsigned)(r->p[n] - '0');
        if (n == KF_DECIMAL_DIGITS_MAX || v > (UINT64_MAX - d) / 10)
            return CF_EKEY_FORMAT;
        v = v * 10 + d;
        n++;
    }
    if (n == 0 || (n > 1 && r->p[0] == '0')) return CF_EKEY_FORMAT;
    rd_skip(r, n);
    *out = v;
    return CF_OK;
}

/* Consume the rest of r: exactly 2 * KF_PK_BYTES lowercase hex digits.
 * (cf_hex_decode also accepts uppercase; a key file has one spelling.) */
static int rd_pk_hex(kf_rd *r, uint8_t pk[KF_PK_BYTES])
{
    if (r->len != 2 * KF_PK_BYTES) return CF_EKEY_FORMAT;
    for (size_t i = 0; i < r->len; i++) {
        char c = r->p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return CF_EKEY_FORMAT;
    }
    if (cf_hex_decode(r->p, r->len, pk, KF_PK_BYTES) != CF_OK)
        return CF_EKEY_FORMAT;
    rd_skip(r, r->len);
    return CF_OK;
}

/* Consume the rest of r: strict base64 of exactly n bytes. */
static int rd_b64_exact(kf_rd *r, uint8_t *out, size_t n)
{
    size_t got = 0;
    if (r->len != KF_B64_LEN(n) ||
        cf_b64_decode(r->p, r->len, out, n, &got) != CF_OK || got != n)
        return CF_EKEY_FORMAT;
    rd_skip(r, r->len);
    return CF_OK;
}

/* The rest of the kdf line after "kdf ". */
static int rd_kdf(kf_rd *r, kf_fields *f)
{
    uint64_t ops = 0, mem = 0;
    int rc;
    if (rd_literal(r, "none") == CF_OK) {
        f->sealed = 0;
        return rd_end(r);
    }
    if ((rc = rd_literal(r, "argon2id13 ops=")) != CF_OK ||
        (rc = rd_decimal(r, &ops)) != CF_OK ||
        (rc = rd_literal(r, " mem=")) != CF_OK ||
        (rc = rd_decimal(r, &mem)) != CF_OK ||
        (rc = rd_literal(r, " salt=")) != CF_OK ||
        (rc = rd_b64_exact(r, f->salt, KF_SALT_BYTES)) != CF_OK)
        return rc;
    /* Bound what a hostile file can make us spend (see FORMAT). */
    if (ops < KF_OPSLIMIT_MIN || ops > KEYFILE_OPSLIMIT_MAX ||
        mem < KF_MEMLIMIT_MIN || mem > KEYFILE_MEMLIMIT_MAX ||
        mem % KF_MEMLIMIT_UNIT != 0)
        return CF_EKEY_FORMAT;
    f->sealed = 1;
    f->opslimit = ops;
    f->memlimit = (size_t)mem;
    return CF_OK;
}

/* Parse a whole key file. f may hold secrets afterwards, also on error. */
static int kf_parse(const char *text, size_t len, kf_fields *f)
{
    kf_rd r = {text, len}, line;
    int rc;
    if ((rc = rd_line(&r, &line)) != CF_OK ||
        (rc = rd_literal(&line, KF_MAGIC)) != CF_OK ||
        (rc = rd_end(&line)) != CF_OK ||
        (rc = rd_line(&r, &line)) != CF_OK ||
        (rc = rd_literal(&line, "public ")) != CF_OK ||
        (rc = rd_pk_hex(&line, f->pk)) != CF_OK ||
        (rc = rd_line(&r, &line)) != CF_OK ||
        (rc = rd_literal(&line, "kdf ")) != CF_OK ||
        (rc = rd_kdf(&line, f)) != CF_OK ||
        (rc = rd_line(&r, &line)) != CF_OK ||
        (rc = rd_literal(&line, "secret ")) != CF_OK ||
        (rc = rd_b64_exact(&line, f->secret,
                           f->sealed ? KF_SEALED_BYTES : KF_SEED_BYTES)) !=
            CF_OK ||
        (rc = rd_end(&r)) != CF_OK)
        return rc;
    return CF_OK;
}

/* Write f as key file text into out (cap bytes), NUL-terminated. */
static int kf_format(const kf_fields *f, char *out, size_t cap, size_t *len)
{
    char pk_hex[CF_HEX32_BYTES];
    char salt_b64[KF_B64_LEN(KF_SALT_BYTES) + 1];
    char secret_b64[KF_B64_LEN(KF_SEALED_BYTES) + 1];
    size_t secret_len = f->sealed ? KF_SEALED_BYTES : KF_SEED_BYTES;
    int n, rc;

    cf_hex32(f->pk, pk_hex);
    if ((rc = cf_b64_encode(f->salt, KF_SALT_BYTES, salt_b64,
                            sizeof salt_b64)) != CF_OK ||
        (rc = cf_b64_encode(f->secret, secret_len, secret_b64,
                            sizeof secret_b64)) != CF_OK)
        goto out;
    if (f->sealed)
        n = snprintf(out, cap,
                     KF_MAGIC "\npublic %s\n"
                              "kdf argon2id13 ops=%llu mem=%zu salt=%s\n"
                              "secret %s\n",
                     pk_hex, f->opslimit, f->memlimit, salt_b64, secret_b64);
    else
        n = snprintf(out, cap, KF_MAGIC "\npublic %s\nkdf none\nsecret %s\n",
                     pk_hex, secret_b64);
    if (n < 0 || (size_t)n >= cap) {
        rc = CF_ETOOBIG;
        goto out;
    }
    *len = (size_t)n;
out:
    sodium_memzero(secret_b64, sizeof secret_b64);
    return rc;
}

/* ---- files ---------------------------------------------------------------- */

static int kf_errno(int e)
{
    switch (e) {
    case ENOENT: return CF_ENOTFOUND;
    case EEXIST: return CF_EEXISTS;
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return CF_ENOSPC;
    case ENOMEM: return CF_ENOMEM;
    default: return CF_EIO;
    }
}

/* Open a file that must be private to its owner: a regular file (not a
 * symlink, FIFO, device or directory) with no group or other mode bits. On
 * success *fd_out is open and *size_out is its size. */
static int kf_open_private(const char *path, int *fd_out, off_t *size_out)
{
    struct stat st;
    int rc = CF_OK;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY |
                            O_NONBLOCK);
    if (fd < 0) {
        /* O_NOFOLLOW on a symlink: ELOOP (Linux, POSIX), EMLINK (BSDs). */
        if (errno == ELOOP || errno == EMLINK) return CF_EKEY_NOT_REGULAR;
        return kf_errno(errno);
    }
    if (fstat(fd, &st) != 0)
        rc = CF_EIO;
    else if (!S_ISREG(st.st_mode))
        rc = CF_EKEY_NOT_REGULAR;
    else if ((st.st_mode & 077) != 0)
        rc = CF_EKEY_PERMS;
    if (rc != CF_OK) {
        close(fd);
        return rc;
    }
    *fd_out = fd;
    *size_out = st.st_size;
    return CF_OK;
}

/* Read from fd until end of file or until buf (cap bytes) is full. */
static int kf_read_upto(int fd, char *buf, size_t cap, size_t *len)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return kf_errno(errno);
        if (n == 0) break;
        got += (size_t)n;
    }
    *len = got;
    return CF_OK;
}

/* Read and parse the key file at path. f may hold secrets afterwards, also
 * on error: the caller wipes it. */
static int kf_read(const char *path, kf_fields *f)
{
    /* One byte more than allowed, to notice a file that grew after fstat. */
    char text[KEYFILE_BYTES_MAX + 1];
    size_t len = 0;
    off_t size = 0;
    int fd = -1;
    int rc = kf_open_private(path, &fd, &size);
    if (rc == CF_OK && size > KEYFILE_BYTES_MAX) rc = CF_EKEY_FORMAT;
    if (rc == CF_OK) rc = kf_read_upto(fd, text, sizeof text, &len);
    if (fd >= 0) close(fd);
    if (rc == CF_OK && len > KEYFILE_BYTES_MAX) rc = CF_EKEY_FORMAT;
    if (rc == CF_OK) rc = kf_parse(text, len, f);
    sodium_memzero(text, sizeof text);
    return rc;
}

static int kf_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n < 0 ? kf_errno(errno) : CF_EIO;
        data += n;
        len -= (size_t)n;
    }
    return CF_OK;
}

/* fsync the directory holding path, so that a new name in it is durable.
 * File systems that cannot fsync a directory (EINVAL) are let be. */
static int kf_sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    /* "key" -> ".", "/key" -> "/", "a/b/key" -> "a/b". */
    size_t dir_len = slash == NULL || slash == path ? 1
                                                    : (size_t)(slash - path);
    char *dir = malloc(dir_len + 1);
    int fd, rc = CF_OK;
    if (dir == NULL) return CF_ENOMEM;
    memcpy(dir, slash == NULL ? "." : path, dir_len);
    dir[dir_len] = '\0';
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        rc = kf_errno(errno);
    } else {
        if (fsync(fd) != 0 && errno != EINVAL) rc = CF_EIO;
        close(fd);
    }
    free(dir);
    return rc;
}

/* Create path (must not exist) with mode 0600 holding data, durably. On
 * failure nothing is left behind. */
static int kf_write_new(const char *path, const char *data, size_t len)
{
    int rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC |
                            O_NOCTTY, 0600);
    if (fd < 0) return kf_errno(errno);
    rc = kf_write_all(fd, data, len);
    if (rc == CF_OK && fsync(fd) != 0) rc = kf_errno(errno);
    if (close(fd) != 0 && rc == CF_OK) rc = CF_EIO;
    if (rc == CF_OK) rc = kf_sync_parent(path);
    if (rc != CF_OK) unlink(path);
    return rc;
}

/* ---- keys ------------------------------------------------------------------ */

/* pass == NULL means "no passphrase" (then pass_len must be 0); otherwise
 * 1..KEYFILE_PASSPHRASE_MAX bytes. */
static int kf_check_pass(const char *pass, size_t pass_len)
{
    if (pass == NULL) return pass_len == 0 ? CF_OK : CF_EINVAL;
    if (pass_len == 0) return CF_EINVAL;
    if (pass_len > KEYFILE_PASSPHRASE_MAX) return CF_ETOOBIG;
    return CF_OK;
}

static int kf_derive(uint8_t key[KF_BOXKEY_BYTES], const char *pass,
                     size_t pass_len, const kf_fields *f)
{
    /* Parameters were bounded by rd_kdf or are our defaults, so a failure
     * here is the allocation of memlimit bytes. */
    if (crypto_pwhash(key, KF_BOXKEY_BYTES, pass, pass_len, f->salt,
                      f->opslimit, f->memlimit,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return CF_ENOMEM;
    return CF_OK;
}

/* Recover the seed of a sealed file. A MAC failure is a wrong passphrase or
 * a tampered file; the two are indistinguishable (see FORMAT). */
static int kf_unseal(const kf_fields *f, const char *pass, size_t pass_len,
                     uint8_t seed[KF_SEED_BYTES])
{
    uint8_t key[KF_BOXKEY_BYTES];
    int rc = kf_derive(key, pass, pass_len, f);
    if (rc == CF_OK &&
        crypto_secretbox_open_easy(seed, f->secret + KF_NONCE_BYTES,
                                   KF_SEALED_BYTES - KF_NONCE_BYTES, f->secret,
                                   key) != 0)
        rc = CF_EKEY_PASSPHRASE;
    sodium_memzero(key, sizeof key);
    return rc;
}

int keyfile_create_from_seed(const char *path, const uint8_t seed[32],
                             const char *pass, size_t pass_len,
                             keyfile_keypair *kp)
{
    keyfile_keypair pair;
    kf_fields f;
    uint8_t key[KF_BOXKEY_BYTES];
    char text[KEYFILE_BYTES_MAX];
    size_t text_len = 0;
    int rc;

    if (path == NULL || seed == NULL) return CF_EINVAL;
    if ((rc = kf_check_pass(pass, pass_len)) != CF_OK) return rc;
    if ((rc = cf_crypto_init()) != CF_OK) return rc;

    memset(&f, 0, sizeof f);
    memset(key, 0, sizeof key);
    memset(text, 0, sizeof text);
    if (crypto_sign_seed_keypair(pair.pk, pair.sk, seed) != 0) {
        rc = CF_ECRYPTO;
        goto out;
    }
    memcpy(f.pk, pair.pk, KF_PK_BYTES);
    if (pass == NULL) {
        memcpy(f.secret, seed, KF_SEED_BYTES);
    } else {
        f.sealed = 1;
        f.opslimit = KF_OPSLIMIT_DEFAULT;
        f.memlimit = KF_MEMLIMIT_DEFAULT;
        randombytes_buf(f.salt, sizeof f.salt);
        randombytes_buf(f.secret, KF_NONCE_BYTES);
        if ((rc = kf_derive(key, pass, pass_len, &f)) != CF_OK) goto out;
        if (crypto_secretbox_easy(f.secret + KF_NONCE_BYTES, seed,
                                  KF_SEED_BYTES, f.secret, key) != 0) {
            rc = CF_ECRYPTO;
            goto out;
        }
    }
    if ((rc = kf_format(&f, text, sizeof text, &text_len)) != CF_OK ||
        (rc = kf_write_new(path, text, text_len)) != CF_OK)
        goto out;
    if (kp != NULL) *kp = pair;
out:
    sodium_memzero(&pair, sizeof pair);
    sodium_memzero(&f, sizeof f);
    sodium_memzero(key, sizeof key);
    sodium_memzero(text, sizeof text);
    return rc;
}

int keyfile_create(const char *path, const char *pass, size_t pass_len,
                   keyfile_keypair *kp)
{
    uint8_t seed[KF_SEED_BYTES];
    int rc;
    if ((rc = cf_crypto_init()) != CF_OK) return rc;
    randombytes_buf(seed, sizeof seed);
    rc = keyfile_create_from_seed(path, seed, pass, pass_len, kp);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int keyfile_read_public(const char *path, uint8_t pk[32])
{
    kf_fields f;
    int rc;
    if (path == NULL || pk == NULL) return CF_EINVAL;
    rc = kf_read(path, &f);
    if (rc == CF_OK) memcpy(pk, f.pk, KF_PK_BYTES);
    sodium_memzero(&f, sizeof f);
    return rc;
}

int keyfile_is_encrypted(const char *path)
{
    kf_fields f;
    int rc;
    if (path == NULL) return CF_EINVAL;
    rc = kf_read(path, &f);
    if (rc == CF_OK) rc = f.sealed;
    sodium_memzero(&f, sizeof f);
    return rc;
}

int keyfile_load(const char *path, const char *pass, size_t pass_len,
                 keyfile_keypair *kp)
{
    keyfile_keypair pair;
    kf_fields f;
    uint8_t seed[KF_SEED_BYTES];
    int rc;

    if (path == NULL || kp == NULL) return CF_EINVAL;
    if ((rc = kf_check_pass(pass, pass_len)) != CF_OK) return rc;
    if ((rc = cf_crypto_init()) != CF_OK) return rc;

    memset(seed, 0, sizeof seed);
    memset(&pair, 0, sizeof pair);
    rc = kf_read(path, &f);
    if (rc == CF_OK && !f.sealed) {
        /* A passphrase given for a plain file is ignored (see keyfile.h). */
        memcpy(seed, f.secret, KF_SEED_BYTES);
    } else if (rc == CF_OK) {
        rc = pass == NULL ? CF_EKEY_NEED_PASSPHRASE
                          : kf_unseal(&f, pass, pass_len, seed);
    }
    if (rc == CF_OK && crypto_sign_seed_keypair(pair.pk, pair.sk, seed) != 0)
        rc = CF_ECRYPTO;
    if (rc == CF_OK && sodium_memcmp(pair.pk, f.pk, KF_PK_BYTES) != 0)
        rc = CF_EKEY_FORMAT;
    if (rc == CF_OK) *kp = pair;
    sodium_memzero(&pair, sizeof pair);
    sodium_memzero(&f, sizeof f);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int keyfile_read_passphrase(const char *path, char *out, size_t cap,
                            size_t *len)
{
    /* The longest acceptable first line plus its "\r\n". */
    char buf[KEYFILE_PASSPHRASE_MAX + 2];
    const char *nl;
    size_t got = 0, line_len;
    off_t size = 0;
    int fd = -1;
    int rc;

    if (path == NULL || out == NULL || len == NULL) return CF_EINVAL;
    rc = kf_open_private(path, &fd, &size);
    if (rc == CF_OK) rc = kf_read_upto(fd, buf, sizeof buf, &got);
    if (fd >= 0) close(fd);
    if (rc != CF_OK) goto out;

    nl = got ? memchr(buf, '\n', got) : NULL;
    if (nl == NULL && got == sizeof buf) {
        rc = CF_ETOOBIG; /* no line end within the longest possible line */
        goto out;
    }
    line_len = nl != NULL ? (size_t)(nl - buf) : got;
    if (nl != NULL && line_len > 0 && buf[line_len - 1] == '\r') line_len--;
    if (line_len > KEYFILE_PASSPHRASE_MAX) {
        rc = CF_ETOOBIG;
    } else if (line_len == 0 || memchr(buf, '\0', line_len) != NULL) {
        rc = CF_EKEY_PASSFILE;
    } else if (cap < line_len + 1) {
        rc = CF_ETOOBIG;
    } else {
        memcpy(out, buf, line_len);
        out[line_len] = '\0';
        *len = line_len;
    }
out:
    sodium_memzero(buf, sizeof buf);
    return rc;
}

void keyfile_wipe(keyfile_keypair *kp)
{
    if (kp != NULL) sodium_memzero(kp, sizeof *kp);
}
