/* test_keyfile.c — key files and passphrase files (crypto/keyfile.h).
 *
 * The plain golden file is built from RFC 8032 §7.1 test 1 (seed and public
 * key), its base64 computed outside cofund. Every test runs in its own
 * mkdtemp directory, removed afterwards. Argon2id runs at the default
 * (interactive) parameters, so encrypted files are few: one made by the group
 * setup is reused, and about ten derivations run in the whole suite.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/keyfile.h"

/* Room for a temp directory path plus a file name. */
#define PATH_BYTES_MAX 512
/* Room for any key file text a test builds (oversize tests use the heap). */
#define TEXT_BYTES_MAX 1024

/* RFC 8032 §7.1, test 1. */
#define SEED1_HEX "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define PK1_HEX "d" PK1_HEX_TAIL
#define PK1_HEX_TAIL \
    "75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define PK1_HEX_UPPER \
    "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A"
/* RFC 8032 §7.1, test 2 (a valid key that does not match SEED1). */
#define PK2_HEX "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
/* base64 of SEED1, of its first 31 bytes, and of SEED1 || 00. */
#define SEED1_B64_HEAD "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf"
#define SEED1_B64 SEED1_B64_HEAD "2A="
#define SEED1_31_B64 "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyufw=="
#define SEED1_33_B64 "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2AA"
/* Any 16-byte salt and any 72-byte sealed secret, for parser-only tests. */
#define SALT_B64 "AAAAAAAAAAAAAAAAAAAAAA=="
#define SEALED_B64                                                        \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"

#define L_HDR "cofund-key-v1\n"
#define L_PK "public " PK1_HEX "\n"
#define L_KDF "kdf none\n"
#define L_SECRET "secret " SEED1_B64 "\n"
#define GOOD_PLAIN L_HDR L_PK L_KDF L_SECRET
#define SEALED_WITH(kdf_params) \
    L_HDR L_PK "kdf argon2id13 " kdf_params "\nsecret " SEALED_B64 "\n"
#define SEALED_SALT(ops_mem) SEALED_WITH(ops_mem " salt=" SALT_B64)
#define PLAIN_SECRET(b64) L_HDR L_PK L_KDF "secret " b64 "\n"

#define PASS "correct horse battery staple"
#define PASS_LEN (sizeof PASS - 1)

/* Made once by the group setup: an encrypted key file for SEED1 and PASS. */
static char g_enc_text[TEXT_BYTES_MAX];
static size_t g_enc_len;

/* ---- helpers ------------------------------------------------------------ */

typedef struct {
    char dir[PATH_BYTES_MAX];
    char path[PATH_BYTES_MAX]; /* scratch for fx_path */
} fixture;

static void unhex(const char *hex, uint8_t *out, size_t n)
{
    assert_int_equal(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void make_temp_dir(char dir[PATH_BYTES_MAX])
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, PATH_BYTES_MAX, "%s/cofund-keyfile-XXXXXX",
                     tmp && *tmp ? tmp : "/tmp");
    assert_true(n > 0 && n < PATH_BYTES_MAX);
    assert_non_null(mkdtemp(dir));
}

/* Remove dir and what the tests put in it (files, links, FIFOs, and empty
 * subdirectories). */
static void remove_temp_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[PATH_BYTES_MAX];
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) != 0) assert_int_equal(rmdir(p), 0);
    }
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
}

static const char *fx_path(fixture *fx, const char *name)
{
    int n = snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    assert_true(n > 0 && (size_t)n < sizeof fx->path);
    return fx->path;
}

/* Replace path with exactly text[0..len) and the given mode. */
static void put_file(const char *path, const void *text, size_t len,
                     mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static size_t get_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, cap);
    assert_true(n >= 0 && (size_t)n < cap);
    close(fd);
    return (size_t)n;
}

/* load, read_public and is_encrypted all give want for the file at path. */
static void assert_all_readers(const char *path, int want)
{
    keyfile_keypair kp;
    uint8_t pk[32];
    int rc = keyfile_load(path, NULL, 0, &kp);
    if (rc != want)
        fail_msg("load: %s, want %s", cf_errname(rc), cf_errname(want));
    rc = keyfile_read_public(path, pk);
    if (rc != want)
        fail_msg("read_public: %s, want %s", cf_errname(rc), cf_errname(want));
    rc = keyfile_is_encrypted(path);
    if (rc != want)
        fail_msg("is_encrypted: %s, want %s", cf_errname(rc), cf_errname(want));
}

static int setup_fixture(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL) return -1;
    make_temp_dir(fx->dir);
    *state = fx;
    return 0;
}

static int teardown_fixture(void **state)
{
    fixture *fx = *state;
    remove_temp_dir(fx->dir);
    free(fx);
    return 0;
}

static int setup_group(void **state)
{
    fixture fx;
    uint8_t seed[32];
    int rc;
    (void)state;
    umask(022); /* so that created modes are predictable */
    if (cf_crypto_init() != CF_OK) return -1;
    make_temp_dir(fx.dir);
    unhex(SEED1_HEX, seed, sizeof seed);
    rc = keyfile_create_from_seed(fx_path(&fx, "enc.key"), seed, PASS,
                                  PASS_LEN, NULL);
    if (rc == CF_OK)
        g_enc_len = get_file(fx.path, g_enc_text, sizeof g_enc_text);
    remove_temp_dir(fx.dir);
    return rc == CF_OK ? 0 : -1;
}

/* ---- creation and round trips ------------------------------------------- */

/* create_from_seed writes exactly the golden text, twice alike, mode 0600. */
static void test_create_plain_golden(void **state)
{
    fixture *fx = *state;
    uint8_t seed[32], pk_want[32];
    char text[TEXT_BYTES_MAX];
    keyfile_keypair kp, kp2;
    struct stat st;

    unhex(SEED1_HEX, seed, sizeof seed);
    unhex(PK1_HEX, pk_want, sizeof pk_want);
    assert_int_equal(keyfile_create_from_seed(fx_path(fx, "a.key"), seed, NULL,
                                              0, &kp),
                     CF_OK);
    assert_memory_equal(kp.pk, pk_want, 32);
    assert_memory_equal(kp.sk, seed, 32);
    assert_memory_equal(kp.sk + 32, pk_want, 32);
    size_t len = get_file(fx_path(fx, "a.key"), text, sizeof text);
    assert_int_equal(len, sizeof GOOD_PLAIN - 1);
    assert_memory_equal(text, GOOD_PLAIN, len);
    assert_int_equal(stat(fx_path(fx, "a.key"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    assert_int_equal(keyfile_create_from_seed(fx_path(fx, "b.key"), seed, NULL,
                                              0, &kp2),
                     CF_OK);
    assert_int_equal(get_file(fx_path(fx, "b.key"), text, sizeof text), len);
    assert_memory_equal(text, GOOD_PLAIN, len);
    assert_memory_equal(&kp, &kp2, sizeof kp);

    keyfile_wipe(&kp);
    keyfile_wipe(&kp2);
    keyfile_wipe(NULL);
    static const keyfile_keypair zero;
    assert_memory_equal(&kp, &zero, sizeof kp);
}

/* A new random key: load gives the same pair; it signs, and the signature
 * verifies under the public key that read_public returns. */
static void test_create_plain_round_trip(void **state)
{
    fixture *fx = *state;
    char path[PATH_BYTES_MAX];
    keyfile_keypair made, loaded, other;
    uint8_t pk[32], sig[64];
    static const uint8_t msg[] = "commit tranche 3 of fund 12";

    snprintf(path, sizeof path, "%s", fx_path(fx, "member.key"));

    assert_int_equal(keyfile_create(path, NULL, 0, &made), CF_OK);
    assert_int_equal(keyfile_is_encrypted(path), 0);
    assert_int_equal(keyfile_read_public(path, pk), CF_OK);
    assert_memory_equal(pk, made.pk, 32);
    assert_int_equal(keyfile_load(path, NULL, 0, &loaded), CF_OK);
    assert_memory_equal(&made, &loaded, sizeof made);

    cf_ed25519_sign(msg, sizeof msg, loaded.sk, sig);
    assert_int_equal(cf_ed25519_verify(msg, sizeof msg, sig, pk), 1);
    sig[0] ^= 1;
    assert_int_equal(cf_ed25519_verify(msg, sizeof msg, sig, pk), 0);

    /* kp is optional, and a second random key differs. */
    assert_int_equal(keyfile_create(fx_path(fx, "other.key"), NULL, 0, NULL),
                     CF_OK);
    assert_int_equal(keyfile_load(fx->path, NULL, 0, &other), CF_OK);
    assert_memory_not_equal(other.pk, made.pk, 32);

    /* Passphrase given for a plain file: accepted and ignored. */
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &other), CF_OK);
    assert_memory_equal(&other, &made, sizeof made);
    keyfile_wipe(&made);
    keyfile_wipe(&loaded);
    keyfile_wipe(&other);
}

/* The group's encrypted file (SEED1, PASS): the right passphrase loads it,
 * the public key needs none, NULL and wrong passphrases are refused. */
static void test_encrypted_load(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "enc.key");
    keyfile_keypair kp;
    uint8_t seed[32], pk_want[32], pk[32], sig[64];
    static const uint8_t msg[] = "approve";

    put_file(path, g_enc_text, g_enc_len, 0600);
    unhex(SEED1_HEX, seed, sizeof seed);
    unhex(PK1_HEX, pk_want, sizeof pk_want);
    /* The text has the documented shape and no seed in the clear. */
    assert_memory_equal(g_enc_text, L_HDR L_PK, sizeof(L_HDR L_PK) - 1);
    assert_non_null(strstr(g_enc_text, "\nkdf argon2id13 ops=2 mem=67108864 "
                                       "salt="));
    assert_null(strstr(g_enc_text, SEED1_B64));

    assert_int_equal(keyfile_is_encrypted(path), 1);
    assert_int_equal(keyfile_read_public(path, pk), CF_OK);
    assert_memory_equal(pk, pk_want, 32);
    assert_int_equal(keyfile_load(path, NULL, 0, &kp),
                     CF_EKEY_NEED_PASSPHRASE);
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp), CF_OK);
    assert_memory_equal(kp.pk, pk_want, 32);
    assert_memory_equal(kp.sk, seed, 32);
    cf_ed25519_sign(msg, sizeof msg, kp.sk, sig);
    assert_int_equal(cf_ed25519_verify(msg, sizeof msg, sig, pk), 1);

    /* Wrong passphrase, including a prefix of the right one. kp untouched. */
    keyfile_keypair before = kp;
    assert_int_equal(keyfile_load(path, "correct horse", 13, &kp),
                     CF_EKEY_PASSPHRASE);
    assert_int_equal(keyfile_load(path, PASS "!", PASS_LEN + 1, &kp),
                     CF_EKEY_PASSPHRASE);
    assert_memory_equal(&kp, &before, sizeof kp);
    keyfile_wipe(&kp);
    keyfile_wipe(&before);
}

/* Encrypting the same seed twice gives different files (random salt and
 * nonce) holding the same key. */
static void test_encrypted_create_from_seed(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "again.key");
    uint8_t seed[32];
    char text[TEXT_BYTES_MAX];
    keyfile_keypair made, loaded;

    unhex(SEED1_HEX, seed, sizeof seed);
    assert_int_equal(keyfile_create_from_seed(path, seed, "x", 1, &made),
                     CF_OK);
    size_t len = get_file(path, text, sizeof text);
    assert_int_equal(len, g_enc_len);
    assert_memory_not_equal(text, g_enc_text, len);
    assert_int_equal(keyfile_load(path, "x", 1, &loaded), CF_OK);
    assert_memory_equal(&made, &loaded, sizeof made);
    assert_memory_equal(loaded.sk, seed, 32);
    keyfile_wipe(&made);
    keyfile_wipe(&loaded);
}

/* Changing the salt, the sealed secret or the Argon2 parameters cannot be
 * told from a wrong passphrase; changing the public key is caught by the
 * seed check. */
static void test_encrypted_tamper(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "t.key");
    char text[TEXT_BYTES_MAX];
    keyfile_keypair kp;
    char *p;

    /* One character of the sealed secret (96 chars, no padding). */
    memcpy(text, g_enc_text, g_enc_len);
    p = strstr(text, "\nsecret ");
    assert_non_null(p);
    p += strlen("\nsecret ") + 40;
    *p = *p == 'A' ? 'B' : 'A';
    put_file(path, text, g_enc_len, 0600);
    assert_int_equal(keyfile_read_public(path, kp.pk), CF_OK);
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp),
                     CF_EKEY_PASSPHRASE);

    /* The first character of the salt. */
    memcpy(text, g_enc_text, g_enc_len);
    p = strstr(text, " salt=");
    assert_non_null(p);
    p += strlen(" salt=");
    *p = *p == 'A' ? 'B' : 'A';
    put_file(path, text, g_enc_len, 0600);
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp),
                     CF_EKEY_PASSPHRASE);

    /* ops=2 -> ops=3: in bounds, so it parses, and derives another key. */
    memcpy(text, g_enc_text, g_enc_len);
    p = strstr(text, " ops=2 ");
    assert_non_null(p);
    p[5] = '3';
    put_file(path, text, g_enc_len, 0600);
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp),
                     CF_EKEY_PASSPHRASE);

    /* Another valid public key: decrypts, then the seed check fails. */
    memcpy(text, g_enc_text, g_enc_len);
    memcpy(text + strlen(L_HDR "public "), PK2_HEX, 64);
    put_file(path, text, g_enc_len, 0600);
    assert_int_equal(keyfile_is_encrypted(path), 1);
    assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp), CF_EKEY_FORMAT);
}

/* ---- file handling ------------------------------------------------------ */

static void test_create_refuses_existing(void **state)
{
    fixture *fx = *state;
    char path[PATH_BYTES_MAX], target[PATH_BYTES_MAX], text[TEXT_BYTES_MAX];
    uint8_t seed[32] = {1};
    keyfile_keypair kp;

    snprintf(path, sizeof path, "%s", fx_path(fx, "k.key"));
    put_file(path, "precious\n", 9, 0600);
    assert_int_equal(keyfile_create(path, NULL, 0, &kp), CF_EEXISTS);
    assert_int_equal(keyfile_create_from_seed(path, seed, NULL, 0, NULL),
                     CF_EEXISTS);
    assert_int_equal(get_file(path, text, sizeof text), 9);
    assert_memory_equal(text, "precious\n", 9);

    /* A dangling symlink is not followed to create its target. */
    snprintf(target, sizeof target, "%s", fx_path(fx, "target.key"));
    assert_int_equal(symlink(target, fx_path(fx, "link.key")), 0);
    assert_int_equal(keyfile_create(fx->path, NULL, 0, NULL), CF_EEXISTS);
    assert_int_equal(access(target, F_OK), -1);

    /* Missing directory. */
    assert_int_equal(keyfile_create(fx_path(fx, "no/such.key"), NULL, 0, NULL),
                     CF_ENOTFOUND);
    assert_int_equal(keyfile_load(fx_path(fx, "missing.key"), NULL, 0, &kp),
                     CF_ENOTFOUND);
}

/* Bad arguments fail before anything touches the disk. */
static void test_arguments(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "k.key");
    uint8_t seed[32] = {0}, pk[32];
    keyfile_keypair kp;
    static char long_pass[KEYFILE_PASSPHRASE_MAX + 1];
    memset(long_pass, 'p', sizeof long_pass);

    assert_int_equal(keyfile_create(NULL, NULL, 0, NULL), CF_EINVAL);
    assert_int_equal(keyfile_create_from_seed(path, NULL, NULL, 0, NULL),
                     CF_EINVAL);
    assert_int_equal(keyfile_create(path, "", 0, NULL), CF_EINVAL);
    assert_int_equal(keyfile_create_from_seed(path, seed, "", 0, NULL),
                     CF_EINVAL);
    assert_int_equal(keyfile_create(path, NULL, 3, NULL), CF_EINVAL);
    assert_int_equal(keyfile_create(path, long_pass, sizeof long_pass, NULL),
                     CF_ETOOBIG);
    assert_int_equal(access(path, F_OK), -1);

    put_file(path, GOOD_PLAIN, sizeof GOOD_PLAIN - 1, 0600);
    assert_int_equal(keyfile_load(path, "", 0, &kp), CF_EINVAL);
    assert_int_equal(keyfile_load(path, long_pass, sizeof long_pass, &kp),
                     CF_ETOOBIG);
    assert_int_equal(keyfile_load(path, NULL, 0, NULL), CF_EINVAL);
    assert_int_equal(keyfile_load(NULL, NULL, 0, &kp), CF_EINVAL);
    assert_int_equal(keyfile_read_public(path, NULL), CF_EINVAL);
    assert_int_equal(keyfile_read_public(NULL, pk), CF_EINVAL);
    assert_int_equal(keyfile_is_encrypted(NULL), CF_EINVAL);
    /* The longest passphrase is fine (plain file: no Argon2 run). */
    assert_int_equal(keyfile_load(path, long_pass, KEYFILE_PASSPHRASE_MAX, &kp),
                     CF_OK);
    keyfile_wipe(&kp);
}

static const mode_t refused_modes[] = {0644, 0640, 0604, 0660, 0606,
                                       0601, 0610, 0620, 0602, 0777};

static void test_permissions(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "k.key");
    keyfile_keypair kp;

    for (size_t i = 0; i < sizeof refused_modes / sizeof refused_modes[0];
         i++) {
        put_file(path, GOOD_PLAIN, sizeof GOOD_PLAIN - 1, refused_modes[i]);
        assert_all_readers(path, CF_EKEY_PERMS);
        /* Even with a passphrase given, and for an encrypted file. */
        assert_int_equal(keyfile_load(path, PASS, PASS_LEN, &kp),
                         CF_EKEY_PERMS);
        put_file(path, g_enc_text, g_enc_len, refused_modes[i]);
        assert_int_equal(keyfile_is_encrypted(path), CF_EKEY_PERMS);
    }
    static const mode_t accepted[] = {0600, 0400, 0700};
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
        put_file(path, GOOD_PLAIN, sizeof GOOD_PLAIN - 1, accepted[i]);
        assert_int_equal(keyfile_load(path, NULL, 0, &kp), CF_OK);
        assert_int_equal(keyfile_is_encrypted(path), 0);
        assert_int_equal(keyfile_read_public(path, kp.pk), CF_OK);
    }
    keyfile_wipe(&kp);
}

/* Symlinks (even to a good 0600 file), directories and FIFOs are refused;
 * a FIFO without a writer must not hang the open. */
static void test_not_regular(void **state)
{
    fixture *fx = *state;
    char good[PATH_BYTES_MAX];
    snprintf(good, sizeof good, "%s", fx_path(fx, "good.key"));
    put_file(good, GOOD_PLAIN, sizeof GOOD_PLAIN - 1, 0600);
    assert_all_readers(good, CF_OK);

    assert_int_equal(symlink(good, fx_path(fx, "link.key")), 0);
    assert_all_readers(fx->path, CF_EKEY_NOT_REGULAR);

    assert_int_equal(mkdir(fx_path(fx, "dir.key"), 0700), 0);
    assert_all_readers(fx->path, CF_EKEY_NOT_REGULAR);

    assert_int_equal(mkfifo(fx_path(fx, "fifo.key"), 0600), 0);
    assert_all_readers(fx->path, CF_EKEY_NOT_REGULAR);
}

/* ---- malformed files ---------------------------------------------------- */

/* The length comes from the literal, so one may hold a NUL. */
#define MAL(what, text) {what, text, sizeof(text) - 1}
static const struct {
    const char *what, *text;
    size_t len;
} malformed[] = {
    MAL("empty file", ""),
    MAL("bad header", "cofund-key-v2\n" L_PK L_KDF L_SECRET),
    MAL("header case", "Cofund-key-v1\n" L_PK L_KDF L_SECRET),
    MAL("header trailing space", "cofund-key-v1 \n" L_PK L_KDF L_SECRET),
    MAL("leading blank line", "\n" GOOD_PLAIN),
    MAL("missing header", L_PK L_KDF L_SECRET),
    MAL("missing public", L_HDR L_KDF L_SECRET),
    MAL("missing kdf", L_HDR L_PK L_SECRET),
    MAL("missing secret", L_HDR L_PK L_KDF),
    MAL("lines swapped", L_HDR L_KDF L_PK L_SECRET),
    MAL("extra blank line", GOOD_PLAIN "\n"),
    MAL("extra line", GOOD_PLAIN "comment\n"),
    MAL("secret twice", GOOD_PLAIN L_SECRET),
    MAL("trailing bytes", GOOD_PLAIN "x"),
    MAL("missing final newline", L_HDR L_PK L_KDF "secret " SEED1_B64),
    MAL("CRLF", "cofund-key-v1\r\npublic " PK1_HEX "\r\nkdf none\r\n"
                "secret " SEED1_B64 "\r\n"),
    MAL("CRLF on one line", L_HDR L_PK "kdf none\r\n" L_SECRET),
    MAL("NUL in header", "cofund\0key-v1\n" L_PK L_KDF L_SECRET),
    MAL("two spaces", L_HDR "public  " PK1_HEX "\n" L_KDF L_SECRET),
    MAL("tab", L_HDR "public\t" PK1_HEX "\n" L_KDF L_SECRET),
    MAL("trailing space", L_HDR L_PK L_KDF "secret " SEED1_B64 " \n"),
    MAL("uppercase hex", L_HDR "public " PK1_HEX_UPPER "\n" L_KDF L_SECRET),
    MAL("bad hex digit", L_HDR "public g" PK1_HEX_TAIL "\n" L_KDF L_SECRET),
    MAL("short hex", L_HDR "public " PK1_HEX_TAIL "\n" L_KDF L_SECRET),
    MAL("long hex", L_HDR "public " PK1_HEX "0\n" L_KDF L_SECRET),
    MAL("0x hex", L_HDR "public 0x" PK1_HEX "\n" L_KDF L_SECRET),
    MAL("public key not matching seed",
        L_HDR "public " PK2_HEX "\n" L_KDF L_SECRET),
    MAL("bad base64 char", PLAIN_SECRET(SEED1_B64_HEAD "2!=")),
    MAL("url-safe base64", PLAIN_SECRET("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDus"
                                        "Axyuf2A=")),
    MAL("missing padding", PLAIN_SECRET(SEED1_B64_HEAD "2A")),
    MAL("non-canonical base64", PLAIN_SECRET(SEED1_B64_HEAD "2B=")),
    MAL("seed 31 bytes", PLAIN_SECRET(SEED1_31_B64)),
    MAL("seed 33 bytes", PLAIN_SECRET(SEED1_33_B64)),
    MAL("empty secret", PLAIN_SECRET("")),
    MAL("kdf none with sealed secret", PLAIN_SECRET(SEALED_B64)),
    MAL("sealed kdf with plain secret",
        L_HDR L_PK "kdf argon2id13 ops=2 mem=67108864 salt=" SALT_B64
        "\n" L_SECRET),
    MAL("unknown kdf", L_HDR L_PK "kdf scrypt\n" L_SECRET),
    MAL("kdf none trailing", L_HDR L_PK "kdf none \n" L_SECRET),
    MAL("kdf empty", L_HDR L_PK "kdf \n" L_SECRET),
    MAL("argon2i", L_HDR L_PK "kdf argon2i13 ops=2 mem=67108864 salt="
                   SALT_B64 "\nsecret " SEALED_B64 "\n"),
    MAL("params swapped", SEALED_WITH("mem=67108864 ops=2 salt=" SALT_B64)),
    MAL("ops zero", SEALED_SALT("ops=0 mem=67108864")),
    MAL("ops too high", SEALED_SALT("ops=17 mem=67108864")),
    MAL("ops absurd", SEALED_SALT("ops=4294967296 mem=67108864")),
    MAL("ops overflow", SEALED_SALT("ops=18446744073709551616 mem=67108864")),
    MAL("ops leading zero", SEALED_SALT("ops=02 mem=67108864")),
    MAL("ops sign", SEALED_SALT("ops=+2 mem=67108864")),
    MAL("ops empty", SEALED_SALT("ops= mem=67108864")),
    MAL("ops hex", SEALED_SALT("ops=0x2 mem=67108864")),
    MAL("mem 1 TiB", SEALED_SALT("ops=2 mem=1099511627776")),
    MAL("mem 1 GiB + 1 KiB", SEALED_SALT("ops=2 mem=1073742848")),
    MAL("mem too low", SEALED_SALT("ops=2 mem=7168")),
    MAL("mem not KiB", SEALED_SALT("ops=2 mem=67108865")),
    MAL("salt short", SEALED_WITH("ops=2 mem=67108864 salt=AAAAAAAAAAAAAAAA")),
    MAL("salt missing", SEALED_WITH("ops=2 mem=67108864")),
    MAL("salt long", SEALED_WITH("ops=2 mem=67108864 salt=" SALT_B64 "AAAA")),
};

static void test_malformed(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "bad.key");
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        const char *text = malformed[i].text;
        put_file(path, text, malformed[i].len, 0600);
        keyfile_keypair kp;
        int rc = keyfile_load(path, PASS, PASS_LEN, &kp);
        if (rc != CF_EKEY_FORMAT)
            fail_msg("%s: load gave %s", malformed[i].what, cf_errname(rc));
        /* read_public does not see the seed/public-key mismatch. */
        if (strcmp(malformed[i].what, "public key not matching seed") == 0)
            continue;
        uint8_t pk[32];
        rc = keyfile_read_public(path, pk);
        if (rc != CF_EKEY_FORMAT)
            fail_msg("%s: read_public gave %s", malformed[i].what,
                     cf_errname(rc));
        rc = keyfile_is_encrypted(path);
        if (rc != CF_EKEY_FORMAT)
            fail_msg("%s: is_encrypted gave %s", malformed[i].what,
                     cf_errname(rc));
    }
}

/* The bounds themselves parse (no Argon2 run: read_public only). */
static void test_kdf_bounds_accepted(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "b.key");
    static const char *const ok[] = {
        SEALED_WITH("ops=1 mem=8192 salt=" SALT_B64),
        SEALED_WITH("ops=16 mem=1073741824 salt=" SALT_B64),
    };
    uint8_t pk[32];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        put_file(path, ok[i], strlen(ok[i]), 0600);
        assert_int_equal(keyfile_read_public(path, pk), CF_OK);
        assert_int_equal(keyfile_is_encrypted(path), 1);
    }
}

static void test_oversize(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "big.key");
    size_t big = 1024 * 1024;
    char *text = malloc(big);
    assert_non_null(text);
    /* A valid file followed by line ends: only the size is wrong. */
    memset(text, '\n', big);
    memcpy(text, GOOD_PLAIN, sizeof GOOD_PLAIN - 1);
    put_file(path, text, KEYFILE_BYTES_MAX + 1, 0600);
    assert_all_readers(path, CF_EKEY_FORMAT);
    put_file(path, text, big, 0600);
    assert_all_readers(path, CF_EKEY_FORMAT);
    free(text);
}

/* Every single-bit change of the golden file is refused (never accepted as
 * another key): strict parsing leaves one spelling per key. */
static void test_bit_flips(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "flip.key");
    char text[sizeof GOOD_PLAIN];
    keyfile_keypair kp;
    size_t len = sizeof GOOD_PLAIN - 1;
    for (size_t bit = 0; bit < 8 * len; bit++) {
        memcpy(text, GOOD_PLAIN, len);
        text[bit / 8] = (char)(text[bit / 8] ^ (1 << bit % 8));
        put_file(path, text, len, 0600);
        int rc = keyfile_load(path, NULL, 0, &kp);
        if (rc != CF_EKEY_FORMAT)
            fail_msg("bit %zu: load gave %s", bit, cf_errname(rc));
    }
}

/* ---- passphrase files --------------------------------------------------- */

static void test_passphrase_file(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "pass");
    char out[KEYFILE_PASSPHRASE_MAX + 1];
    size_t len = 0;
    static const struct {
        const char *text, *want;
    } good[] = {
        {"secret\n", "secret"},
        {"secret\r\n", "secret"},
        {"secret", "secret"},
        {"secret\nsecond line\n", "secret"},
        {"secret\r", "secret\r"}, /* only "\r\n" ends a line */
        {" pass word \n", " pass word "},
        {"p\xc3\xa4ss\n", "p\xc3\xa4ss"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        put_file(path, good[i].text, strlen(good[i].text), 0600);
        assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                         CF_OK);
        assert_string_equal(out, good[i].want);
        assert_int_equal(len, strlen(good[i].want));
    }
    /* cap: exactly len + 1 is enough. */
    put_file(path, "secret\n", 7, 0400);
    assert_int_equal(keyfile_read_passphrase(path, out, 7, &len), CF_OK);
    memset(out, 'z', sizeof out);
    assert_int_equal(keyfile_read_passphrase(path, out, 6, &len), CF_ETOOBIG);
    assert_int_equal(out[0], 'z'); /* untouched on error */

    static const struct {
        const char *text;
        size_t len;
        int want;
    } bad[] = {
        {"", 0, CF_EKEY_PASSFILE},
        {"\n", 1, CF_EKEY_PASSFILE},
        {"\r\n", 2, CF_EKEY_PASSFILE},
        {"\nsecret\n", 8, CF_EKEY_PASSFILE},
        {"se\0cret\n", 8, CF_EKEY_PASSFILE},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put_file(path, bad[i].text, bad[i].len, 0600);
        assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                         bad[i].want);
    }
    assert_int_equal(keyfile_read_passphrase(NULL, out, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(keyfile_read_passphrase(path, NULL, sizeof out, &len),
                     CF_EINVAL);
    assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, NULL),
                     CF_EINVAL);
}

static void test_passphrase_file_length(void **state)
{
    fixture *fx = *state;
    const char *path = fx_path(fx, "pass");
    char out[KEYFILE_PASSPHRASE_MAX + 1];
    size_t big = 3 * KEYFILE_PASSPHRASE_MAX, len = 0;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, 'p', big);

    /* KEYFILE_PASSPHRASE_MAX bytes with "\n", "\r\n" or nothing after. */
    static const char *const ends[] = {"\n", "\r\n", ""};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t n = strlen(ends[i]);
        memcpy(text + KEYFILE_PASSPHRASE_MAX, ends[i], n);
        put_file(path, text, KEYFILE_PASSPHRASE_MAX + n, 0600);
        assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                         CF_OK);
        assert_int_equal(len, KEYFILE_PASSPHRASE_MAX);
        assert_int_equal(strlen(out), KEYFILE_PASSPHRASE_MAX);
        memset(text + KEYFILE_PASSPHRASE_MAX, 'p', n);
    }
    /* One byte more, with or without a line end; a long file of one line. */
    text[KEYFILE_PASSPHRASE_MAX + 1] = '\n';
    put_file(path, text, KEYFILE_PASSPHRASE_MAX + 2, 0600);
    assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                     CF_ETOOBIG);
    text[KEYFILE_PASSPHRASE_MAX + 1] = '\r';
    text[KEYFILE_PASSPHRASE_MAX + 2] = '\n';
    put_file(path, text, KEYFILE_PASSPHRASE_MAX + 3, 0600);
    assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                     CF_ETOOBIG);
    memset(text, 'p', big);
    put_file(path, text, KEYFILE_PASSPHRASE_MAX + 1, 0600);
    assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                     CF_ETOOBIG);
    put_file(path, text, big, 0600);
    assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                     CF_ETOOBIG);
    free(text);
}

static void test_passphrase_file_perms(void **state)
{
    fixture *fx = *state;
    char path[PATH_BYTES_MAX], out[KEYFILE_PASSPHRASE_MAX + 1];
    size_t len;
    snprintf(path, sizeof path, "%s", fx_path(fx, "pass"));
    for (size_t i = 0; i < sizeof refused_modes / sizeof refused_modes[0];
         i++) {
        put_file(path, "secret\n", 7, refused_modes[i]);
        assert_int_equal(keyfile_read_passphrase(path, out, sizeof out, &len),
                         CF_EKEY_PERMS);
    }
    put_file(path, "secret\n", 7, 0600);
    assert_int_equal(symlink(path, fx_path(fx, "link")), 0);
    assert_int_equal(keyfile_read_passphrase(fx->path, out, sizeof out, &len),
                     CF_EKEY_NOT_REGULAR);
    assert_int_equal(mkfifo(fx_path(fx, "fifo"), 0600), 0);
    assert_int_equal(keyfile_read_passphrase(fx->path, out, sizeof out, &len),
                     CF_EKEY_NOT_REGULAR);
    assert_int_equal(keyfile_read_passphrase(fx_path(fx, "none"), out,
                                             sizeof out, &len),
                     CF_ENOTFOUND);
}

#define FX_TEST(f) cmocka_unit_test_setup_teardown(f, setup_fixture, \
                                                   teardown_fixture)

int main(void)
{
    const struct CMUnitTest tests[] = {
        FX_TEST(test_create_plain_golden),
        FX_TEST(test_create_plain_round_trip),
        FX_TEST(test_encrypted_load),
        FX_TEST(test_encrypted_create_from_seed),
        FX_TEST(test_encrypted_tamper),
        FX_TEST(test_create_refuses_existing),
        FX_TEST(test_arguments),
        FX_TEST(test_permissions),
        FX_TEST(test_not_regular),
        FX_TEST(test_malformed),
        FX_TEST(test_kdf_bounds_accepted),
        FX_TEST(test_oversize),
        FX_TEST(test_bit_flips),
        FX_TEST(test_passphrase_file),
        FX_TEST(test_passphrase_file_length),
        FX_TEST(test_passphrase_file_perms),
    };
    return cmocka_run_group_tests(tests, setup_group, NULL);
}
