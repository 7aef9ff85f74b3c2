/* cosign_line.c — a test tool: the cosignature/v1 line a witness would add
 * to a checkpoint (docs/format.md, "Cosignatures"), made with a key file.
 *
 *   cosign_line KEYFILE NAME < SIGNED_NOTE
 *
 * Reads a signed note on stdin and prints the line NAME's key (the witness
 * member's feed origin, cofund/<net16>/<key hex>) signs over its text at a
 * fixed time. tests/cli/audit_witness.sh appends such lines to a bundle's
 * checkpoints (tests/tools/bundle_edit.py addline), to choose exactly who
 * witnessed what (homes cosign by themselves: node/home/ingest.h). Exit 0, or 1
 * with a message. */
#include <stdio.h>
#include <string.h>

#include "crypto/cf_error.h"
#include "crypto/cf_util.h"
#include "crypto/keyfile.h"
#include "crypto/note.h"

int main(int argc, char **argv)
{
    static char buf[NOTE_BYTES_MAX + 1];
    char line[NOTE_SIG_LINE_BYTES_MAX];
    keyfile_keypair kp;
    note n;
    size_t len, line_len;
    int err;
    if (argc != 3) {
        fputs("usage: cosign_line KEYFILE NAME < SIGNED_NOTE\n", stderr);
        return 2;
    }
    len = fread(buf, 1, sizeof buf, stdin);
    if (cf_crypto_init() != CF_OK || (err = keyfile_load(argv[1], NULL, 0, &kp)) != CF_OK ||
        (err = note_parse(buf, len, &n)) != CF_OK ||
        (err = note_cosign(n.text, n.text_len, argv[2], kp.sk, 1700000000, line, sizeof line,
                           &line_len)) != CF_OK) {
        fprintf(stderr, "cosign_line: cannot cosign\n");
        return 1;
    }
    keyfile_wipe(&kp);
    fwrite(line, 1, line_len, stdout);
    return 0;
}
