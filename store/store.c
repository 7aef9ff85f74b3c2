/* store.c */
#include "store.h"
