/* test_tlog_proof.c — placeholder until written. */
int main(void) { return 0; }
