#!/usr/bin/env node
// A stand-in for clasp in test/scripts/clasp-scripts.test.ts: appends its arguments to FAKE_CLASP_LOG
// (one JSON line per run) and answers from FAKE_CLASP_SCRIPT, a JSON map from the command name
// (`push`, `deploy`) to { out, status } (clasp's real messages, copied from its source).
const { appendFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_CLASP_LOG, `${JSON.stringify(args)}\n`);
const answer = JSON.parse(process.env.FAKE_CLASP_SCRIPT || '{}')[args[0]] || { out: '', status: 0 };
process.stdout.write(answer.out);
process.exit(answer.status);
