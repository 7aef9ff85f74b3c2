/* testutil.h — helpers every unit test links (tests/CMakeLists.txt,
 * cofund_unit): the random seed, splitmix64, hex, exact-size copies,
 * temporary directories and the data files under tests/.
 *
 * Failures are cmocka failures: the caller must be running inside a cmocka
 * test (or group setup) for the helpers that assert. None of them touches
 * the code under test.
 */
#ifndef COFUND_TESTUTIL_H
#define COFUND_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room for a temporary path: $TMPDIR, a test's directory and a file name. */
#define TU_PATH_BYTES 512

/* ---- seeds and random numbers ------------------------------------------- */

/* The seed of this run's random tests: COFUND_SEED when it is set and not
 * empty (decimal, 0x hex or 0 octal), otherwise a fresh one from the clock
 * and the process ID. Prints "<what>: seed N (replay with COFUND_SEED=N)"
 * to stdout and flushes it. */
uint64_t tu_seed(const char *what);

/* As tu_seed, but `dflt` when COFUND_SEED is unset or empty. */
uint64_t tu_seed_default(const char *what, uint64_t dflt);

/* The environment variable `name` as an unsigned number, or `dflt` when it is
 * unset or empty; *set (when not NULL) says which. */
uint64_t tu_env_u64(const char *name, uint64_t dflt, bool *set);

/* splitmix64: the next number of the stream whose state is *state. */
uint64_t tu_rng_next(uint64_t *state);

/* ---- bytes ---------------------------------------------------------------- */

/* Decodes the hex string `hex` into out[0..cap); returns the byte count.
 * Fails the test on an odd length, a non-hex digit or too little room. */
size_t tu_unhex(const char *hex, uint8_t *out, size_t cap);

/* Prints "what (n bytes): <hex>" with cmocka's print_message. */
void tu_print_hex(const char *what, const uint8_t *p, size_t n);

/* A heap copy of p[0..n) of exactly n bytes (one when n is 0), so that
 * AddressSanitizer sees any read past the end. The caller frees it. */
uint8_t *tu_dup_exact(const uint8_t *p, size_t n);

/* ---- temporary directories ------------------------------------------------ */

/* Creates a fresh directory "$TMPDIR/cofund-<name>-XXXXXX" (/tmp when TMPDIR
 * is unset or empty) and writes its path to out. */
void tu_tmpdir(char out[TU_PATH_BYTES], const char *name);

/* out = dir + "/" + name; fails the test when it does not fit. */
void tu_path_join(char out[TU_PATH_BYTES], const char *dir, const char *name);

/* Removes path and everything below it, read-only directories included;
 * a path that does not exist is not an error. */
void tu_rm_rf(const char *path);

/* ---- data files under tests/ ----------------------------------------------- */

/* Opens COFUND_TEST_DATA "/" rel (rel like "vectors/rfc6962.txt") for
 * reading; fails the test when it cannot. The caller closes it. */
FILE *tu_data_open(const char *rel);

/* A fuzz corpus seed built by a test (rel like "fuzz/corpus/wire/NAME"): with
 * COFUND_WRITE_CORPUS=1 in the environment it is written there; otherwise
 * the file must hold exactly these bytes (fails the test, naming how to
 * rewrite it, when not). */
void tu_corpus_seed(const char *rel, const uint8_t *bytes, size_t len);

/* Reads the next line of f into line[0..cap) without its "\n" or "\r\n";
 * returns its length, or -1 at the end of the file. Fails the test on a line
 * that does not fit. */
long tu_read_line(FILE *f, char *line, size_t cap);

#endif
