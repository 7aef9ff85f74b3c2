/* note.c — see note.h (implementation pending). */
#include "note.h"
