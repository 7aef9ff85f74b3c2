/* store_kv.c */
#include "store.h"
