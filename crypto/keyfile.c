/* keyfile.c — see keyfile.h (implementation pending). */
#include "keyfile.h"
