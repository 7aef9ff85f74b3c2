/* test_rules_model.c — placeholder until written. */
int main(void) { return 0; }
