/* keyfile.h — Ed25519 member keys on disk.
 *
 * A key file holds the 32-byte Ed25519 seed, either in the clear or sealed
 * with a passphrase (Argon2id through crypto_pwhash, then
 * crypto_secretbox_easy), plus the public key in the clear so that commands
 * that only need the public key never ask for the passphrase. The exact text
 * format is documented in docs/format.md ("Key files").
 *
 * Files are created with mode 0600 (O_EXCL: an existing file is never
 * overwritten) and refused with CF_EKEY_PERMS when group or others may read
 * or write them, as ssh refuses private keys. Secrets are wiped from memory
 * after use.
 */
#ifndef COFUND_KEYFILE_H
#define COFUND_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

/* A key file is a few hundred bytes; anything larger is not one of ours. */
#define KEYFILE_BYTES_MAX 4096
/* Passphrases longer than this are refused rather than truncated. */
#define KEYFILE_PASSPHRASE_MAX 1024

typedef struct {
    uint8_t pk[32];
    uint8_t sk[64]; /* libsodium form: seed || pk; wipe with keyfile_wipe */
} keyfile_keypair;

/* Generate a new key pair and write it to path (mode 0600, must not exist).
 * pass == NULL stores the seed in the clear. kp (optional) receives the pair.
 * CF_EEXISTS if the file exists, CF_EIO on other file errors. */
int keyfile_create(const char *path, const char *pass, size_t pass_len,
                   keyfile_keypair *kp);

/* Same, from a given seed (tests, deterministic vectors). */
int keyfile_create_from_seed(const char *path, const uint8_t seed[32],
                             const char *pass, size_t pass_len,
                             keyfile_keypair *kp);

/* Read the public key only (no passphrase needed). Checks permissions. */
int keyfile_read_public(const char *path, uint8_t pk[32]);

/* 1 when the file is passphrase-protected, 0 when not, < 0 on error. */
int keyfile_is_encrypted(const char *path);

/* Load the key pair. For an encrypted file, pass == NULL is
 * CF_EKEY_NEED_PASSPHRASE and a wrong passphrase is CF_EKEY_PASSPHRASE.
 * Checks that the seed yields the stored public key (CF_EKEY_FORMAT if not). */
int keyfile_load(const char *path, const char *pass, size_t pass_len,
                 keyfile_keypair *kp);

/* Read a passphrase file: its first line, without the line terminator.
 * Refuses files readable by group or others (CF_EKEY_PERMS). out receives a
 * NUL-terminated string of at most KEYFILE_PASSPHRASE_MAX bytes. */
int keyfile_read_passphrase(const char *path, char *out, size_t cap,
                            size_t *len);

void keyfile_wipe(keyfile_keypair *kp);

#endif
