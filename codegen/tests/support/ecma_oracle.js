// The ECMA-262 oracle of the pattern differential test
// (codegen/src/emit/patterns/differential.rs): reads one JSON request per
// line, `{"p": pattern, "i": [inputs]}`, and answers one JSON line each:
// `{"u": true, "m": [bool per input]}` with RegExp.prototype.test under the
// `u` flag, `{"u": false, "m": [...]}` when the pattern is valid only
// without it (Annex B), or `{"e": message}` when it is no pattern at all.
// The test runs it as a long-lived child and restarts it when a
// backtracking pattern makes it hang.
//
// Under the `u` flag ECMA-262 tries a match only at code point boundaries
// (RegExpBuiltinExec advances lastIndex with AdvanceStringIndex), but V8
// also reports a match that starts between the two halves of a surrogate
// pair (`/\B/u.exec("B😀B").index` is 2). `test` below skips such a match
// and searches on from the next boundary, which is the specification's
// loop.
'use strict';

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

function test(re, unicode, s) {
  if (!unicode) {
    return re.test(s);
  }
  const global = new RegExp(re.source, 'gu');
  for (;;) {
    const m = global.exec(s);
    if (m === null) {
      return false;
    }
    const k = m.index;
    if (k > 0 && k < s.length && isHigh(s.charCodeAt(k - 1)) && isLow(s.charCodeAt(k))) {
      global.lastIndex = k + 1;
      continue;
    }
    return true;
  }
}
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
  const m = i.map((s) => test(re, unicode, s));
  process.stdout.write(JSON.stringify({ u: unicode, m }) + '\n');
});
