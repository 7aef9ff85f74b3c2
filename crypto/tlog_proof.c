/* tlog_proof.c — see tlog_proof.h (implementation pending). */
#include "note.h"
