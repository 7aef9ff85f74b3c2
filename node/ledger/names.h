/* names.h — members and projects as people read them: by their display
 * names (which may be Chinese, R-RENAME), for the tables of the CLI and
 * the audit's reports alike (docs/i18n.md "Display names").
 *
 * For people only: JSON and CSV name members and projects by their
 * identifiers, and verdicts (ledger_member_label) by registered names. A
 * label may hold CJK text: align it by display width (cf_text_width),
 * never with a printf width. */
#ifndef COFUND_LEDGER_NAMES_H
#define COFUND_LEDGER_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Room for any member's or project's label. */
#define NAMES_LABEL_BYTES STATE_NAME_CAP
/* Room for a project's identifier with its display name. */
#define NAMES_PROJECT_BYTES (STATE_ID_CAP + STATE_NAME_CAP + 8)

/* The member whose key (any of its keys, old ones included) is `key`: its
 * display name when it has one, else its registered name, else the key's
 * first 16 hex digits. Written to buf (cap bytes, truncated on a UTF-8
 * character boundary); returns buf. */
const char *names_member(const ledger_kv *kv, const uint8_t key[32], char *buf, size_t cap);

/* The project `id` (n bytes): its display name (the latest rename), else
 * the id itself when no such project is registered. Written to buf;
 * returns buf. */
const char *names_project(const ledger_kv *kv, const char *id, size_t n, char *buf, size_t cap);

/* The project `id` (n bytes) where people read it and may type it back into
 * a command: the identifier, followed by its display name in brackets when
 * it has one that differs ("robotics (Robotics Co.)", Chinese
 * "robotics（机器人产线）"), else the identifier alone. Written to buf
 * (NAMES_PROJECT_BYTES holds any); returns buf. */
const char *names_project_cell(const ledger_kv *kv, const char *id, size_t n, char *buf,
                               size_t cap);

#endif
