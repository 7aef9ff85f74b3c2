/* store_feed.c */
#include "store.h"
