/* test_rules.c — placeholder until written. */
int main(void) { return 0; }
