/* cbor.c — see cbor.h (implementation pending). */
#include "cbor.h"
