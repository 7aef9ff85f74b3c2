/* merkle.c — see merkle.h (implementation pending). */
#include "merkle.h"
