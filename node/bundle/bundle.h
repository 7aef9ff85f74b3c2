/* bundle.h — the bundle file: a home's feeds (entries and signed
 * checkpoints) and the evidence it holds, as one file that another home
 * imports through the replica path. docs/format.md ("Bundles") specifies it
 * for independent implementations.
 *
 *   bundle  = magic H feed* X* Z
 *   feed    = F E{size - from} K*
 *   magic   = "cofund-bundle/1\n"                      (16 bytes)
 *   record  = type (1 byte) || length (u32 BE) || payload
 *
 *   'H' header   CBOR {"v": 1, "net": bstr 32}          first record, once
 *   'F' feed     CBOR {"from": uint, "author": bstr 32, "checkpoint": tstr}
 *                followed by exactly size - from 'E' records, where size is
 *                the tree size in the signed checkpoint (from <= size); at
 *                most one F record per author ("listed twice" otherwise)
 *   'E' entry    the entry's exact bytes (1 ..= ENTRY_BYTES_MAX)
 *   'K' checkpoint  a signed checkpoint note of the current feed (the same
 *                origin as its F record's; 1 ..= NOTE_BYTES_MAX bytes) with
 *                tree size 0 < size < the F record's size, sizes strictly
 *                increasing; only after that feed's E records, before the
 *                next F, X or Z. The author's earlier checkpoints, so that a
 *                replica can serve the feed in signed spans (ckpt.h).
 *   'X' fork     a fork proof (evidence.h), CBOR; after the feeds
 *   'Z' end      CBOR {"feeds": uint, "sha256": bstr 32, "entries": uint}
 *                last record: counts of F and E records and the SHA-256 of
 *                every byte before this record (magic included)
 *
 * CBOR payloads are deterministic (crypto/cbor.h). Payload lengths are
 * checked against per-type limits before anything is read or allocated. The
 * reader checks structure only (record order, counts, the trailer hash, that
 * checkpoints parse, K records' origins and sizes); signatures and roots are
 * the importer's job. The writer (bundle_write.c) and the reader
 * (bundle_read.c) share these checks (bundle_internal.h).
 */
#ifndef COFUND_BUNDLE_H
#define COFUND_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/diag.h"
#include "ledger/entry.h"

#define BUNDLE_MAGIC "cofund-bundle/1\n"
#define BUNDLE_MAGIC_BYTES 16
/* The largest payload of any record: a feed record carries one checkpoint
 * note (NOTE_BYTES_MAX) plus a few fields; a fork proof two notes and up to
 * 128 hashes. 64 KiB bounds the reader's single buffer. */
#define BUNDLE_PAYLOAD_BYTES_MAX (64u * 1024)

/* A record's head: type (1 byte) || length (u32 BE). */
#define BUNDLE_RECORD_HEAD_BYTES 5
/* The largest E record in the file: what a buffer needs to hold any one. */
#define BUNDLE_ENTRY_RECORD_BYTES_MAX (BUNDLE_RECORD_HEAD_BYTES + ENTRY_BYTES_MAX)

enum bundle_record_type {
    BUNDLE_HEADER = 'H',
    BUNDLE_FEED = 'F',
    BUNDLE_ENTRY = 'E',
    BUNDLE_CHECKPOINT = 'K',
    BUNDLE_FORK = 'X',
    BUNDLE_END = 'Z',
};

/* ---- writing ------------------------------------------------------------
 * The writer streams to "<path>.tmp" and renames it over path only in
 * bundle_writer_commit (after fsync), so a failed export leaves no partial
 * bundle behind.
 *
 * Calls must follow the grammar above: a NULL argument, a value the reader
 * would refuse or a call out of order is CF_EINVAL, writes nothing and
 * leaves w as it was. An I/O error is CF_EIO (CF_ENOSPC when the disk or
 * quota is full): the temporary file is removed at once and every later
 * call returns the same code; commit reports it in d. */
typedef struct bundle_writer bundle_writer;

/* Creates "<path>.tmp" (mode 0644, O_EXCL). A stale "<path>.tmp" — what a
 * crashed export leaves — is removed first; two exports to one path at
 * once are not supported (the one whose file was replaced fails at commit).
 * On error errno is left as the failing system call set it. */
int bundle_writer_open(const char *path, bundle_writer **out);
int bundle_write_header(bundle_writer *w, const uint8_t net[32]);
/* size is the checkpoint's tree size: exactly size - from entries follow.
 * The checkpoint (1..NOTE_BYTES_MAX bytes) must parse as a signed note
 * whose text is a checkpoint of exactly that size (nothing is verified). */
int bundle_write_feed(bundle_writer *w, const uint8_t author[32], uint64_t from,
                      uint64_t size, const char *checkpoint, size_t checkpoint_len);
/* 1..ENTRY_BYTES_MAX bytes, only while the current feed expects entries. */
int bundle_write_entry(bundle_writer *w, const uint8_t *bytes, size_t len);
/* An earlier checkpoint of the current feed, once all its entries are
 * written and before any fork: 1..NOTE_BYTES_MAX bytes that parse as a
 * signed note whose text is a checkpoint with the feed record's origin and a
 * tree size above the previous K record's (above 0 for the first) and below
 * the feed record's (nothing is verified). */
int bundle_write_checkpoint(bundle_writer *w, const char *checkpoint, size_t checkpoint_len);
/* One canonical CBOR item of 1..BUNDLE_PAYLOAD_BYTES_MAX bytes, after the
 * header and when no entries are outstanding; no feed may follow. */
int bundle_write_fork(bundle_writer *w, const uint8_t *proof, size_t len);
/* Writes the end record, flushes, fsyncs, renames over path, fsyncs the
 * directory and frees w (also on error). Committing before the header or
 * while entries are outstanding is CF_EINVAL (the temporary file is
 * removed). If only the directory fsync fails, path holds the complete
 * bundle but the error (CF_EIO) says its rename may not survive a crash. */
int bundle_writer_commit(bundle_writer *w, diag *d);
/* Removes the temporary file and frees w. NULL is a no-op. */
void bundle_writer_abort(bundle_writer *w);

/* ---- reading ------------------------------------------------------------ */
typedef struct bundle_reader bundle_reader;

typedef struct {
    enum bundle_record_type type;
    const uint8_t *payload; /* valid until the next bundle_next call */
    size_t len;
    uint64_t offset;        /* of the record's head in the input */
    /* BUNDLE_HEADER */
    uint8_t net[32];
    /* BUNDLE_FEED and BUNDLE_CHECKPOINT (author: the current feed's) */
    uint8_t author[32];
    uint64_t from;          /* BUNDLE_FEED only */
    uint64_t size;          /* tree size in the checkpoint */
    const char *checkpoint; /* into payload: the signed note text (for a K
                               record, the payload itself) */
    size_t checkpoint_len;
    /* BUNDLE_ENTRY */
    uint64_t index;         /* position of this entry in its feed */
} bundle_record;

/* Open the bundle at path for reading, as a file that can be read twice
 * and at any offset (the importer and the audit do both): a regular file
 * as it is; anything else (a pipe, a FIFO, /dev/stdin, a socket) is first
 * copied to an unlinked temporary file in $TMPDIR (else /tmp), which is
 * returned instead, so `cat b | cofund import /dev/stdin` works. *bytes
 * receives the size. Errors (with d set): CF_ENOTFOUND when nothing is at
 * path, CF_ENOSPC when the copy does not fit, CF_EIO otherwise. */
int bundle_input_open(const char *path, FILE **out, uint64_t *bytes, diag *d);

/* Read from f (not owned; the reader never seeks; it allocates one buffer
 * of BUNDLE_PAYLOAD_BYTES_MAX bytes) or from memory (p must outlive the
 * reader; payloads then point into p and nothing is copied). */
int bundle_reader_open_file(FILE *f, bundle_reader **out);
int bundle_reader_open_mem(const uint8_t *p, size_t len, bundle_reader **out);
void bundle_reader_close(bundle_reader *r);

/* Next record. Returns CF_OK with *rec filled; 1 when the end record has
 * been read and checked and the input is exhausted (*rec then describes the
 * end record: type BUNDLE_END, payload, len), and 1 again on every later
 * call; or CF_EBUNDLE (d names the record number, its type and byte offset,
 * and the defect: truncated, bad length, out of order, count or hash
 * mismatch, bytes after the end), CF_EIO on read errors. After an error
 * every later call fails with the same code. Records before the end record
 * are only known to be intact once 1 was returned: an importer applies
 * nothing before that (or stages what it applied). */
int bundle_next(bundle_reader *r, bundle_record *rec, diag *d);

/* The SHA-256 of the whole file (what sha256sum prints), once bundle_next
 * returned 1: CF_OK; CF_EINVAL before. */
int bundle_reader_sha256(const bundle_reader *r, uint8_t out[32]);
/* Bytes consumed so far (for progress and messages). */
uint64_t bundle_reader_offset(const bundle_reader *r);
/* The type byte of the record read last — also of one bundle_next refused
 * (0 when not even its type byte was read). */
uint8_t bundle_reader_record_type(const bundle_reader *r);

/* ---- entry records again -------------------------------------------------
 * For a reader that went through the file once with bundle_next (which
 * checked its structure) and reads a feed's E records again by offset (the
 * offline audit's replay). Nothing here checks more than the framing: the
 * caller compares what it reads with what it verified. */

/* A record's size in the file, for a payload of len bytes: where the next
 * record starts. */
uint64_t bundle_record_bytes(size_t len);
/* The E record at the start of p[0..have): CF_OK with *payload (into p),
 * *len (1..ENTRY_BYTES_MAX) and *used (bundle_record_bytes(*len));
 * CF_EINCOMPLETE when have does not hold all of it; CF_EBUNDLE when it is
 * not an entry record (another type, or a length out of range). */
int bundle_entry_parse(const uint8_t *p, size_t have, const uint8_t **payload, size_t *len,
                       size_t *used);
/* The E record at byte off of f, read without moving f's position (pread):
 * its payload into buf (cap >= ENTRY_BYTES_MAX bytes), *len its length.
 * CF_EIO when it cannot be read whole; CF_EBUNDLE as bundle_entry_parse. */
int bundle_read_entry_at(FILE *f, uint64_t off, uint8_t *buf, size_t cap, size_t *len);

#endif
