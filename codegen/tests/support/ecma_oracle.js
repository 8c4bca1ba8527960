// The ECMA-262 oracle of the pattern differential test
// (codegen/src/emit/patterns/differential.rs): reads one JSON request per
// line, `{"p": pattern, "i": [inputs]}`, and answers one JSON line each:
// `{"u": true, "m": [bool per input]}` with RegExp.prototype.test under the
// `u` flag, `{"u": false, "m": [...]}` when the pattern is valid only
// without it (Annex B), or `{"e": message}` when it is no pattern at all.
// The test runs it as a long-lived child and restarts it when a
// backtracking pattern makes it hang.
'use strict';
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  const { p, i } = JSON.parse(line);
  let re;
  let unicode = true;
  try {
    re = new RegExp(p, 'u');
  } catch (_) {
    unicode = false;
    try {
      re = new RegExp(p);
    } catch (e) {
      process.stdout.write(JSON.stringify({ e: String(e.message) }) + '\n');
      return;
    }
  }
  const m = i.map((s) => re.test(s));
  process.stdout.write(JSON.stringify({ u: unicode, m }) + '\n');
});
