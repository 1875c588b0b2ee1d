// dockerfilelint_bench.js: the dockerfilelint peer of bench/peers.sh.
// Usage: node dockerfilelint_bench.js PEER_DIR FILE_LIST MIN_SECONDS CRASHED_OUT
// Reads every file named in FILE_LIST into memory, lints each once to find
// the files dockerfilelint throws on (written to CRASHED_OUT, one per line:
// both sides leave them out), then lints the others round after round, in
// one process, until MIN_SECONDS have passed (whole rounds). Prints one
// JSON line with the figures: files_per_second over the timed rounds
// (the JIT warm), first_round_files_per_second over the first pass (cold,
// as one run of its CLI over the files would be, less Node's start).
'use strict';
const fs = require('fs');
const [peerDir, listPath, minSecondsArg, crashedOut] = process.argv.slice(2);
const lint = require(peerDir + '/node_modules/dockerfilelint/lib/index');
const reference = require(peerDir + '/node_modules/dockerfilelint/lib/reference');

const files = fs.readFileSync(listPath, 'utf8').split('\n').filter(Boolean);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const ok = [];
const crashed = [];
let findings = 0;
const first0 = process.hrtime.bigint();
texts.forEach((text, i) => {
  try {
    findings += lint.run('.', text).length;
    ok.push(i);
  } catch (e) {
    crashed.push(files[i]);
  }
});
const firstSeconds = Number(process.hrtime.bigint() - first0) / 1e9;
fs.writeFileSync(crashedOut, crashed.map((f) => f + '\n').join(''));

const minNs = Number(minSecondsArg) * 1e9;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
let rounds = 0;
let linted = 0;
let elapsed = 0;
while (rounds === 0 || elapsed < minNs) {
  for (const i of ok) {
    lint.run('.', texts[i]);
    linted++;
  }
  rounds++;
  elapsed = Number(process.hrtime.bigint() - t0);
}
const cpu = process.cpuUsage(cpu0);
const seconds = elapsed / 1e9;
console.log(JSON.stringify({
  tool: 'dockerfilelint',
  files: ok.length,
  crashed: crashed.length,
  rounds,
  rules: Object.keys(reference).length,
  findings,
  seconds: Number(seconds.toFixed(4)),
  cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(4)),
  files_per_second: Number((linted / seconds).toFixed(1)),
  first_round_files_per_second: Number((files.length / firstSeconds).toFixed(1)),
  peak_rss_kb: process.resourceUsage().maxRSS,
}));
