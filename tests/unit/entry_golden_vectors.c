/* entry_golden_vectors.c — the golden CBOR of every representative entry
 * (entry_golden.h), annotated item by item. */
#include <stddef.h>

#include "entry_golden.h"

/* Goldens: derived once from entry_encode, then read by hand against the
 * key order of the field tables in entry_fields.c (envelope: v gov net body
 * time type index author; each body as listed there). The goldens from
 * "program-pool" on (the other instruments, then rekey, retire, the genesis
 * with recovery keys and the succession) were also
 * checked against the document encoder of entry_doc.c, which sorts keys by
 * itself. The goldens from "program-subsidy" on (certification and subsidies)
 * come from a third encoder, tests/unit/entry_golden_subsidy.py (Python,
 * RFC 8949 deterministic encoding), and both C encoders must produce them;
 * those from "exit-proceeds" on (returns) from tests/unit/entry_golden_returns.py,
 * those from "member-display" on (display names) from tests/unit/entry_golden_names.py. */
const struct golden goldens[] = {
    {"genesis", make_genesis, doc_genesis,
     "a7" /* map(7) */
     "6176" "01" /* v */
     "63676f76" "00" /* gov */
     "64626f6479" /* body */
       "a3" /* map(3) */
       "62747a" "1901e0" /* tz */
       "646e616d65" /* name */
         "78214369747920636f2d696e766573746d656e74206e6574776f726b20e59088e68a"
         "95"
       "666d656d626572" "69636974792d66756e64" /* member */
     "6474696d65" "1b0000019b8bab0680" /* time */
     "6474797065" "6767656e65736973" /* type */
     "65696e646578" "00" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"member", make_member, doc_member,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "01" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "636b6579" /* key */
         "5820101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
       "646e616d65" "6a696e766573746f722d61" /* name */
       "64726f6c65" "68696e766573746f72" /* role */
     "6474696d65" "1b0000019b8babf0e0" /* time */
     "6474797065" "666d656d626572" /* type */
     "65696e646578" "01" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program", make_program, doc_program,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a9" /* map(9) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "63636170" "1a01c9c380" /* cap */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820101" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "66627564676574" "1a23c34600" /* budget */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "81647465616d" /* counterpart */
       "6b77696e646f775f64617973" "18b4" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-min", make_program_min, doc_program_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a7" /* map(7) */
       "626964" "6f696e6375626174696f6e2d32303236" /* id */
       "646b696e64" "656d61746368" /* kind */
       "65726174696f" "820307" /* ratio */
       "657374617274" "1b0000019b8bab0680" /* start */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6b636f756e74657270617274" "8268696e766573746f72647465616d" /* counterpart */
       "6b77696e646f775f64617973" "190e42" /* window_days */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project", make_project, doc_project,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646b696e64" /* kind */
         "7819696e74656c6c6967656e74206d616e75666163747572696e67"
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"project-min", make_project_min, doc_project_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "03" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "626964" "6d61636d652d726f626f74696373" /* id */
       "646e616d65" /* name */
         "7741636d6520526f626f7469637320e69cbae599a8e4baba"
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "6770726f6a656374" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution", make_contribution, doc_contribution,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"contribution-min", make_contribution_min, doc_contribution_min,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "04" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a02faf080" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8cbdaf00" /* time */
     "6474797065" "6c636f6e747269627574696f6e" /* type */
     "65696e646578" "19012c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"match", make_match, doc_match,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "05" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "656369746573" /* cites */
         "82a4646c6561665820303132333435363738393a3b3c3d3e3f404142434445464748"
         "494a4b4c4d4e4f65696e64657819012c66616d6f756e741a01312d0066617574686f"
         "725820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e"
         "3fa4646c6561665820808182838485868788898a8b8c8d8e8f909192939495969798"
         "999a9b9c9d9e9f65696e6465780766616d6f756e741a0098968066617574686f7258"
         "20606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
       "65726f756e64" "6473656564" /* round */
       "66616d6f756e74" "1a01c9c380" /* amount */
       "6770726f6772616d" "6f696e6375626174696f6e2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8bc0ff80" /* time */
     "6474797065" "656d61746368" /* type */
     "65696e646578" "1818" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"exit", make_exit, doc_exit,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1b000000e8d4a51000" /* amount */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019c8601f080" /* time */
     "6474797065" "6465786974" /* type */
     "65696e646578" "1a00011170" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-pool", make_program_pool, doc_program_pool,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a6" /* map(6) */
       "626964" "6e6c6f616e2d706f6f6c2d32303236" /* id */
       "646b696e64" "64706f6f6c" /* kind */
       "6473697a65" "1b00000002540be400" /* size */
       "657368617265" "82070a" /* share */
       "686c65766572616765" "0a" /* leverage */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-leasing", make_program_leasing, doc_program_leasing,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "626964" "6c6c656173696e672d32303236" /* id */
       "64646f776e" "820a1828" /* down */
       "646b696e64" "676c656173696e67" /* kind */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "6966696e616e63696e67" "82181e1850" /* financing */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-award", make_program_award, doc_program_award,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "02" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a5" /* map(5) */
       "626964" "6b6177617264732d32303236" /* id */
       "646b696e64" "656177617264" /* kind */
       "66627564676574" "1a23c34600" /* budget */
       "666c6576656c73" "821a009896801a02faf080" /* levels */
       "686f70657261746f72" /* operator */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "6770726f6772616d" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"deposit", make_deposit, doc_deposit,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1b00000002540be400" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb25980" /* time */
     "6474797065" "676465706f736974" /* type */
     "65696e646578" "08" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"withdraw", make_withdraw, doc_withdraw,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "06" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "66616d6f756e74" "1a23c34600" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb343e0" /* time */
     "6474797065" "687769746864726177" /* type */
     "65696e646578" "09" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"loan", make_loan, doc_loan,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "66616d6f756e74" "1a1dcd6500" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
       "6b7465726d5f6d6f6e746873" "1824" /* term_months */
     "6474696d65" "1b0000019b8bacdb40" /* time */
     "6474797065" "646c6f616e" /* type */
     "65696e646578" "02" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"guarantee", make_guarantee, doc_guarantee,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "66616d6f756e74" "1a1dcd6500" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb42e40" /* time */
     "6474797065" "6967756172616e746565" /* type */
     "65696e646578" "0a" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"repay", make_repay, doc_repay,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820a0a1a2a3a4a5a6a7a8a9aaab"
         "acadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
       "66616d6f756e74" "1a01312d00" /* amount */
     "6474696d65" "1b0000019b8badc5a0" /* time */
     "6474797065" "657265706179" /* type */
     "65696e646578" "03" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"default", make_default, doc_default,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "646c6f616e" /* loan */
         "a3646c6561665820303132333435363738393a3b3c3d3e3f40414243444546474849"
         "4a4b4c4d4e4f65696e6465780266617574686f725820a0a1a2a3a4a5a6a7a8a9aaab"
         "acadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
       "646c6f7373" "1a1c9c3800" /* loss */
     "6474696d65" "1b0000019b8baeb000" /* time */
     "6474797065" "6764656661756c74" /* type */
     "65696e646578" "04" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"compensation", make_compensation, doc_compensation,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "66616d6f756e74" "1a1406f400" /* amount */
       "6764656661756c74" /* default */
         "a3646c6561665820606162636465666768696a6b6c6d6e6f70717273747576777879"
         "7a7b7c7d7e7f65696e6465780466617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb518a0" /* time */
     "6474797065" "6c636f6d70656e736174696f6e" /* type */
     "65696e646578" "0b" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"release", make_release, doc_release,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "657265706179" /* repay */
         "a3646c6561665820808182838485868788898a8b8c8d8e8f90919293949596979899"
         "9a9b9c9d9e9f65696e6465780366617574686f725820202122232425262728292a2b"
         "2c2d2e2f303132333435363738393a3b3c3d3e3f"
       "66616d6f756e74" "1a01312d00" /* amount */
       "6770726f6772616d" "6e6c6f616e2d706f6f6c2d32303236" /* program */
     "6474696d65" "1b0000019b8bb60300" /* time */
     "6474797065" "6772656c65617365" /* type */
     "65696e646578" "0c" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"lease", make_lease, doc_lease,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a7" /* map(7) */
       "64646f776e" "1a01312d00" /* down */
       "657072696365" "1a05f5e100" /* price */
       "67616476616e6365" "1a01312d00" /* advance */
       "6770726f6772616d" "6c6c656173696e672d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
       "6965717569706d656e74" /* equipment */
         "7824352d61786973206d616368696e696e672063656e74726520e4ba94e8bdb4e58a"
         "a0e5b7a5"
       "6966696e616e63696e67" "1a03938700" /* financing */
     "6474696d65" "1b0000019b8baf9a60" /* time */
     "6474797065" "656c65617365" /* type */
     "65696e646578" "05" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"award", make_award, doc_award,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "07" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a4" /* map(4) */
       "6479656172" "1907ea" /* year */
       "66616d6f756e74" "1a00989680" /* amount */
       "6770726f6772616d" "6b6177617264732d32303236" /* program */
       "6770726f6a656374" "6d61636d652d726f626f74696373" /* project */
     "6474696d65" "1b0000019b8bb6ed60" /* time */
     "6474797065" "656177617264" /* type */
     "65696e646578" "0d" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"rekey", make_rekey, doc_rekey,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "08" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "636b6579" /* key */
         "5820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
       "646e616d65" "6a696e766573746f722d61" /* name */
       "65636c6f7365" "03" /* close */
     "6474696d65" "1b0000019b8bb25980" /* time */
     "6474797065" "6572656b6579" /* type */
     "65696e646578" "08" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"retire", make_retire, doc_retire,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "09" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a2" /* map(2) */
       "646e616d65" "6a696e766573746f722d61" /* name */
       "65636c6f7365" "03" /* close */
     "6474696d65" "1b0000019b8bb343e0" /* time */
     "6474797065" "66726574697265" /* type */
     "65696e646578" "09" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"genesis-recovery", make_genesis_recovery, doc_genesis_recovery,
     "a7" /* map(7) */
     "6176" "01" /* v */
     "63676f76" "00" /* gov */
     "64626f6479" /* body */
       "a5" /* map(5) */
       "62747a" "1901e0" /* tz */
       "646e616d65" /* name */
         "78214369747920636f2d696e766573746d656e74206e6574776f726b20e59088e68a"
         "95"
       "666d656d626572" "69636974792d66756e64" /* member */
       "6671756f72756d" "02" /* quorum */
       "687265636f76657279" "83" /* recovery: array(3) */
         "5820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
         "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
         "5820606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
     "6474696d65" "1b0000019b8bab0680" /* time */
     "6474797065" "6767656e65736973" /* type */
     "65696e646578" "00" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"succession", make_succession, doc_succession,
     "a8" /* map(8) */
     "6176" "01" /* v */
     "63676f76" "05" /* gov */
     "636e6574" /* net */
       "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
     "64626f6479" /* body */
       "a3" /* map(3) */
       "6470726576" /* prev */
         "5820303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f"
       "6473696773" "82" /* sigs: array(2) */
         "82" /* [key, sig] */
           "5820202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
           "5840808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
               "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
         "82" /* [key, sig] */
           "5820404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
           "5840c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
               "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
       "65636c6f7365" "05" /* close */
     "6474696d65" "1b0000019b8bab0680" /* time */
     "6474797065" "6a73756363657373696f6e" /* type */
     "65696e646578" "00" /* index */
     "66617574686f72" /* author */
       "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    /* The corrections (issue 13): derived from entry_encode and checked
     * against the document encoder of entry_doc.c, which sorts keys by
     * itself; not annotated item by item. */
    {"reversal", make_reversal, doc_reversal,
     "a861760163676f7605636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a464726561640c65656e7472"
     "79a3646c6561665820606162636465666768696a6b6c6d6e6f70717273747576"
     "7778797a7b7c7d7e7f65696e64657819012c66617574686f725820a0a1a2a3a4"
     "a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf66616d6f75"
     "6e741a02faf08066726561736f6e777479706f3a203530302c30303020776173"
     "206d65616e746474696d651b0000019b8cbe9960647479706568726576657273"
     "616c65696e64657819012d66617574686f725820a0a1a2a3a4a5a6a7a8a9aaab"
     "acadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"reversal-min", make_reversal_min, doc_reversal_min,
     "a861760163676f7605636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a365656e747279a3646c6561"
     "665820606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c"
     "7d7e7f65696e64657819012c66617574686f725820a0a1a2a3a4a5a6a7a8a9aa"
     "abacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf66616d6f756e7400667265"
     "61736f6e777479706f3a203530302c30303020776173206d65616e746474696d"
     "651b0000019b8cbe9960647479706568726576657273616c65696e6465781901"
     "2d66617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5"
     "b6b7b8b9babbbcbdbebf"},
    {"close", make_close, doc_close,
     "a861760163676f760a636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a26261741b0000019f2aa3b6"
     "806770726f6772616d6f696e6375626174696f6e2d323032366474696d651b00"
     "00019b8bb42e40647479706565636c6f736565696e6465780a66617574686f72"
     "5820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbd"
     "bebf"},
    {"amend", make_amend, doc_amend,
     "a861760163676f760b636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a6636361701a01c9c3806466"
     "726f6d1b0000019f2aa3b68065726174696f820102666275646765741a23c346"
     "006770726f6772616d6f696e6375626174696f6e2d323032366b77696e646f77"
     "5f64617973185a6474696d651b0000019b8bb518a0647479706565616d656e64"
     "65696e6465780b66617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
     "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"amend-pool", make_amend_pool, doc_amend_pool,
     "a861760163676f760b636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a56466726f6d1b0000019f2a"
     "a3b6806473697a651a23c346006573686172658201026770726f6772616d6f69"
     "6e6375626174696f6e2d32303236686c65766572616765056474696d651b0000"
     "019b8bb518a0647479706565616d656e6465696e6465780b66617574686f7258"
     "20a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe"
     "bf"},
    {"rename", make_rename, doc_rename,
     "a861760163676f760c636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a2646e616d657141636d6520"
     "526f626f74696373204c74646770726f6a6563746d61636d652d726f626f7469"
     "63736474696d651b0000019b8bb6030064747970656672656e616d6565696e64"
     "65780c66617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"
     "b4b5b6b7b8b9babbbcbdbebf"},
    {"rename-min", make_rename_min, doc_rename_min,
     "a861760163676f760c636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a1646e616d65782143697479"
     "20636f2d696e766573746d656e74206e6574776f726b20e59088e68a95647469"
     "6d651b0000019b8bb6030064747970656672656e616d6565696e6465780c6661"
     "7574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8"
     "b9babbbcbdbebf"},
    {"bound", make_bound, doc_bound,
     "a861760163676f760d636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a166616d6f756e741b000000"
     "174876e8006474696d651b0000019b8bb6ed60647479706565626f756e646569"
     "6e6465780d66617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1"
     "b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"amend-none", make_amend_none, doc_amend_none,
     "a861760163676f760b636e65745820404142434445464748494a4b4c4d4e4f50"
     "5152535455565758595a5b5c5d5e5f64626f6479a463636170006466726f6d1b"
     "0000019f2aa3b68066627564676574006770726f6772616d6f696e6375626174"
     "696f6e2d323032366474696d651b0000019b8bb518a0647479706565616d656e"
     "6465696e6465780b66617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadae"
     "afb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-subsidy", make_program_subsidy, doc_program_subsidy,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7603636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a86269646e66697273742d7365742d32"
     "303236636361701a1dcd6500646b696e646773756273696479656261736973696669"
     "7273742d73657465736861726582030a666275646765741a23c34600686f70657261"
     "746f725820707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c"
     "8d8e8f6d726563697069656e745f6361701a3b9aca006474696d651b0000019b8bad"
     "c5a064747970656770726f6772616d65696e6465780366617574686f725820a0a1a2"
     "a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"program-award-certified", make_program_award_certified, doc_program_award_certified,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7602636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a66269646b6177617264732d32303236"
     "646b696e64656177617264666275646765741a23c34600666c6576656c73821a0098"
     "96801a02faf080686f70657261746f725820707172737475767778797a7b7c7d7e7f"
     "808182838485868788898a8b8c8d8e8f6872657175697265736d64656d6f6e737472"
     "6174696f6e6474696d651b0000019b8bacdb4064747970656770726f6772616d6569"
     "6e6465780266617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"
     "b4b5b6b7b8b9babbbcbdbebf"},
    {"certify", make_certify, doc_certify,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f760f636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a66466726f6d1b0000019b8bab068064"
     "6b696e646966697273742d7365746570726963651a07270e0065756e74696c1b0000"
     "01a2e35c32806770726f64756374781d57656c64696e6720726f626f7420e7848ae6"
     "8ea5e69cbae599a8e4baba6770726f6a6563746d61636d652d726f626f7469637364"
     "74696d651b0000019b8bb8c2206474797065676365727469667965696e6465780f66"
     "617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9"
     "babbbcbdbebf"},
    {"certify-demonstration", make_certify_demonstration, doc_certify_demonstration,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7610636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a56466726f6d1b0000019b8bab068064"
     "6b696e646d64656d6f6e7374726174696f6e64796561721907ea6562617463680267"
     "70726f6a6563746d61636d652d726f626f746963736474696d651b0000019b8bb9ac"
     "806474797065676365727469667965696e6465781066617574686f725820a0a1a2a3"
     "a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"revoke", make_revoke, doc_revoke,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7611636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a26261741b0000019f37839c806d6365"
     "7274696669636174696f6e0f6474696d651b0000019b8bba96e06474797065667265"
     "766f6b6565696e6465781166617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacad"
     "aeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"subsidy", make_subsidy, doc_subsidy,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7610636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a76473616c656c494e562d323032362d"
     "3030316570726963651a0e4e1c0065756e6974730266616d6f756e741a044aa20067"
     "70726f6772616d6e66697273742d7365742d323032366770726f6a6563746d61636d"
     "652d726f626f746963736d63657274696669636174696f6e0f6474696d651b000001"
     "9b8bb7d7c06474797065677375627369647965696e6465780e66617574686f725820"
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"subsidy-lease", make_subsidy_lease, doc_subsidy_lease,
     /* python canonical CBOR, tests/unit/entry_golden_subsidy.c */
     "a861760163676f7610636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a7656c65617365a3646c656166582030"
     "3132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f65696e"
     "6465780566617574686f725820202122232425262728292a2b2c2d2e2f3031323334"
     "35363738393a3b3c3d3e3f6570726963651a07270e0065756e6974730166616d6f75"
     "6e741a00b71b006770726f6772616d6e66697273742d7365742d323032366770726f"
     "6a6563746d61636d652d726f626f746963736d63657274696669636174696f6e0f64"
     "74696d651b0000019b8bb8c2206474797065677375627369647965696e6465780f66"
     "617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9"
     "babbbcbdbebf"},
    {"exit-proceeds", make_exit_proceeds, doc_exit_proceeds,
     /* python canonical CBOR, tests/unit/entry_golden_returns.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a366616d6f756e741a02625a00677072"
     "6f6a6563746d61636d652d726f626f746963736870726f63656564731a042c1d8064"
     "74696d651b0000019b8bbb81406474797065646578697465696e6465781266617574"
     "686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbc"
     "bdbebf"},
    {"exit-proceeds-zero", make_exit_proceeds_zero, doc_exit_proceeds_zero,
     /* python canonical CBOR, tests/unit/entry_golden_returns.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a366616d6f756e741a00989680677072"
     "6f6a6563746d61636d652d726f626f746963736870726f6365656473006474696d65"
     "1b0000019b8bbc6ba06474797065646578697465696e6465781366617574686f7258"
     "20a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"valuation", make_valuation, doc_valuation,
     /* python canonical CBOR, tests/unit/entry_golden_returns.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a26576616c75651a1ad274806770726f"
     "6a6563746d61636d652d726f626f746963736474696d651b0000019b8bbd56006474"
     "7970656976616c756174696f6e65696e6465781466617574686f725820a0a1a2a3a4"
     "a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"valuation-zero", make_valuation_zero, doc_valuation_zero,
     /* python canonical CBOR, tests/unit/entry_golden_returns.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a26576616c7565006770726f6a656374"
     "6d61636d652d726f626f746963736474696d651b0000019b8bbe4060647479706569"
     "76616c756174696f6e65696e6465781566617574686f725820a0a1a2a3a4a5a6a7a8"
     "a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"},
    {"member-display", make_member_display, doc_member_display,
     /* python canonical CBOR, tests/unit/entry_golden_names.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a4636b65795820101112131415161718"
     "191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f646e616d656a696e766573"
     "746f722d6164726f6c6568696e766573746f7267646973706c61796ce6b998e6b19f"
     "e8b584e69cac6474696d651b0000019b8bbf2ac06474797065666d656d6265726569"
     "6e6465781666617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"
     "b4b5b6b7b8b9babbbcbdbebf"},
    {"rename-member", make_rename_member, doc_rename_member,
     /* python canonical CBOR, tests/unit/entry_golden_names.c */
     "a861760163676f7606636e65745820404142434445464748494a4b4c4d4e4f505152"
     "535455565758595a5b5c5d5e5f64626f6479a2646e616d657818e6b998e6b19fe8b5"
     "84e69cacefbc88e4ba8ce69c9fefbc89666d656d6265726a696e766573746f722d61"
     "6474696d651b0000019b8bc0152064747970656672656e616d6565696e6465781766"
     "617574686f725820a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9"
     "babbbcbdbebf"},
};
