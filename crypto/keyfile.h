/* keyfile.h — Ed25519 member keys on disk.
 *
 * A key file holds the 32-byte Ed25519 seed, either in the clear or sealed
 * with a passphrase (Argon2id through crypto_pwhash, then
 * crypto_secretbox_easy), plus the public key in the clear so that commands
 * that only need the public key never ask for the passphrase. The exact text
 * format is documented at the top of crypto/keyfile.c and in docs/format.md
 * ("Key files"). Parsing is strict: any deviation is CF_EKEY_FORMAT.
 *
 * Files are created with mode 0600 (O_EXCL: an existing file is never
 * overwritten) and refused with CF_EKEY_PERMS when group or others have any
 * mode bit, as ssh refuses private keys; a symlink, FIFO or other non-regular
 * file is refused with CF_EKEY_NOT_REGULAR. Secrets are wiped from memory
 * after use.
 *
 * Passphrases: pass == NULL means none (pass_len must then be 0); otherwise
 * pass holds pass_len bytes, 1..KEYFILE_PASSPHRASE_MAX (CF_EINVAL when empty,
 * CF_ETOOBIG when longer). Common errors: CF_EINVAL for NULL arguments,
 * CF_ENOTFOUND when the file does not exist, CF_EIO for other file errors.
 * Output arguments are written only on success.
 */
#ifndef COFUND_KEYFILE_H
#define COFUND_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

/* A key file is a few hundred bytes; anything larger is not one of ours. */
#define KEYFILE_BYTES_MAX 4096
/* Passphrases longer than this are refused rather than truncated. */
#define KEYFILE_PASSPHRASE_MAX 1024
/* Upper bounds on the Argon2id parameters a key file may ask for. A file is
 * input from a stranger; without bounds one could make us allocate or spend
 * without limit. 1 GiB and 16 passes are far above what we write (64 MiB,
 * 2 passes) yet finish in seconds on a workstation. */
#define KEYFILE_OPSLIMIT_MAX 16
#define KEYFILE_MEMLIMIT_MAX (1024UL * 1024 * 1024)

typedef struct {
    uint8_t pk[32];
    uint8_t sk[64]; /* libsodium form: seed || pk; wipe with keyfile_wipe */
} keyfile_keypair;

/* Generate a new key pair and write it to path (mode 0600, must not exist),
 * fsync'ed together with its directory. pass == NULL stores the seed in the
 * clear. kp (optional) receives the pair. CF_EEXISTS if path exists (also
 * as a symlink), CF_ENOSPC when the disk is full, CF_EIO on other file
 * errors; on error no file is left behind. */
int keyfile_create(const char *path, const char *pass, size_t pass_len,
                   keyfile_keypair *kp);

/* Same, from a given seed (tests, deterministic vectors). */
int keyfile_create_from_seed(const char *path, const uint8_t seed[32],
                             const char *pass, size_t pass_len,
                             keyfile_keypair *kp);

/* Read the public key only (no passphrase needed). Checks permissions and
 * the format of the whole file, but not that the seed matches the public
 * key (that needs the passphrase; keyfile_load checks it). */
int keyfile_read_public(const char *path, uint8_t pk[32]);

/* 1 when the file is passphrase-protected, 0 when not, < 0 on error (same
 * checks as keyfile_read_public). */
int keyfile_is_encrypted(const char *path);

/* Load the key pair. For an encrypted file, pass == NULL is
 * CF_EKEY_NEED_PASSPHRASE and a wrong passphrase is CF_EKEY_PASSPHRASE (so
 * is a tampered salt or ciphertext: the two cannot be told apart). For a
 * plain file a passphrase is accepted and ignored, so scripts can always
 * pass one; call keyfile_is_encrypted to warn about an unprotected key.
 * Checks that the seed yields the stored public key (CF_EKEY_FORMAT if not).
 * CF_ENOMEM if the Argon2id memory cannot be allocated. */
int keyfile_load(const char *path, const char *pass, size_t pass_len,
                 keyfile_keypair *kp);

/* Read a passphrase file: its first line, without the "\n" or "\r\n" that
 * ends it (a file without any line end is one line; later lines are
 * ignored). The file must be a regular file with no group or other mode
 * bits, like a key file (CF_EKEY_PERMS, CF_EKEY_NOT_REGULAR). A first line
 * that is empty or holds a NUL byte is CF_EKEY_PASSFILE; one longer than
 * KEYFILE_PASSPHRASE_MAX bytes is CF_ETOOBIG, as is cap < *len + 1. On
 * success out receives the NUL-terminated passphrase and *len its length;
 * cap = KEYFILE_PASSPHRASE_MAX + 1 always suffices. Wipe out after use. */
int keyfile_read_passphrase(const char *path, char *out, size_t cap,
                            size_t *len);

/* Wipe a key pair. kp may be NULL. */
void keyfile_wipe(keyfile_keypair *kp);

#endif
