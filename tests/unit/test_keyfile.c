/* test_keyfile.c — placeholder until written. */
int main(void) { return 0; }
