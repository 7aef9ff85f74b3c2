/* test_store.c — placeholder until written. */
int main(void) { return 0; }
