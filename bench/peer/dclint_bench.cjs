// dclint_bench.cjs: the dclint (docker-compose-linter) peer of
// bench/peers.sh. Usage: node dclint_bench.cjs PEER_DIR FILE_LIST MIN_SECONDS
// Lints every Compose file of FILE_LIST with all of dclint's rules at
// their defaults, through its library (DCLinter.lintFiles, which reads and
// validates each file as its CLI does), round after round in one process
// until MIN_SECONDS have passed (whole rounds). Prints one JSON line.
'use strict';
const fs = require('fs');
const [peerDir, listPath, minSecondsArg] = process.argv.slice(2);
const { DCLinter } = require(peerDir + '/node_modules/dclint');

const files = fs.readFileSync(listPath, 'utf8').split('\n').filter(Boolean);
const linter = new DCLinter({ rules: {}, exclude: [], quiet: true, debug: false });
let findings = 0;
let invalid = 0;
const first0 = process.hrtime.bigint();
for (const r of linter.lintFiles(files, false)) {
  findings += r.messages.length;
  if (r.messages.some((m) => m.rule === 'invalid-yaml' || m.rule === 'invalid-schema')) invalid++;
}
const firstSeconds = Number(process.hrtime.bigint() - first0) / 1e9;
const minNs = Number(minSecondsArg) * 1e9;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let rounds = 0;
let elapsed = 0;
while (rounds === 0 || elapsed < minNs) {
  linter.lintFiles(files, false);
  rounds++;
  elapsed = Number(process.hrtime.bigint() - t0);
}
const cpu = process.cpuUsage(cpu0);
const seconds = elapsed / 1e9;
console.log(JSON.stringify({
  tool: 'dclint',
  files: files.length,
  invalid,
  rounds,
  rules: linter.rules.length,
  findings,
  seconds: Number(seconds.toFixed(4)),
  cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(4)),
  files_per_second: Number((files.length * rounds / seconds).toFixed(1)),
  first_round_files_per_second: Number((files.length / firstSeconds).toFixed(1)),
  peak_rss_kb: process.resourceUsage().maxRSS,
}));
