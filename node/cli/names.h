/* names.h — how tables name members and projects: by their display names
 * (which may be Chinese, R-RENAME), falling back to their identifiers.
 *
 * Tables only: JSON and CSV name members and projects by their
 * identifiers, and carry a display name in a field of its own. A label
 * may hold CJK text: print it through cli_table (table.h), never with a
 * printf width. */
#ifndef COFUND_CLI_NAMES_H
#define COFUND_CLI_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/names.h"
#include "ledger/state.h"

/* Room for any label: a display name, an identifier or a hex prefix. */
#define CLI_LABEL_BYTES STATE_NAME_CAP

/* The member whose key (any of its keys, old ones included) is `key`: its
 * display name when it has one, else its registered name, else the key's
 * first 16 hex digits. Written to buf (cap bytes, truncated on a UTF-8
 * character boundary); returns buf. */
const char *cli_member_label(const ledger_kv *kv, const uint8_t key[32], char *buf, size_t cap);

/* The project `id`: its display name (the latest rename), else the id
 * itself when no such project is registered. Written to buf; returns buf. */
const char *cli_project_label(const ledger_kv *kv, const char *id, char *buf, size_t cap);

/* The project `id` where people read it and type it back: the id, with its
 * display name in brackets when it has one that differs ("robotics
 * (Robotics Co.)", "robotics（机器人产线）"); names_project_cell. buf:
 * CLI_PROJECT_BYTES. */
#define CLI_PROJECT_BYTES NAMES_PROJECT_BYTES
const char *cli_project_cell(const ledger_kv *kv, const char *id, char *buf, size_t cap);

/* Why s is not a display name (entry_name_valid: 1 to 128 bytes of UTF-8
 * without control characters), in words for a person, translated, into
 * buf: "it is not valid UTF-8 (byte 3)", "it is empty", ...; NULL when it is
 * one. */
const char *cli_display_problem(const char *s, char *buf, size_t cap);

#endif
