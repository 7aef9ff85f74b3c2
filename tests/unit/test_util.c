/* test_util.c — placeholder until written. */
int main(void) { return 0; }
