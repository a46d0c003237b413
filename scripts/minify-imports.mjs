// minify-imports.mjs — gives a release build's wasm imports short names, in the wasm and in
// its wasm-bindgen module together. wasm-bindgen names each import after what it calls and a
// 16-digit hash (`__wbg_appendChild_dbf7ad2f48413560`), and each name is written twice: in
// the wasm's import section and as a key of the module's imports object; its closure shims
// are exports with names of up to 330 characters, which its module calls. The lab has 145
// imports; named `a`, `b`, ... (the shims `_a`, `_b`, ...) its first load is 4.4 KB gzip
// less, a lesson's 4.3 and the on-demand bundle 3.6 (scripts/size-budget.sh before and after).
//
// The imports' module (`./lbviz_bg.js`, written before each of them) becomes `a`, and the
// `producers` and `target_features` sections (the compilers' names and the features the wasm
// was built for, which no browser reads) are left out: 0.35 KB gzip less of each build.
//
// Only those change: every other byte of the wasm is copied as it is, and in the JS only
// whole words equal to one of the names, and the module's name as a quoted key, are replaced.
// Refuses (exit 1) a module it does not understand: a name that the JS does not hold, or a
// section it cannot read.
//
// Usage:  node scripts/minify-imports.mjs WASM JS   (scripts/minify.sh runs it on each
//         build of a release, after terser)

import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: node scripts/minify-imports.mjs WASM JS');
  process.exit(2);
}
const fail = (why) => {
  console.error(`minify-imports: ${wasmPath}: ${why}`);
  process.exit(1);
};

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function uleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) fail('the module ends inside a number');
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** `value` as unsigned LEB128 bytes. */
function encodeUleb(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

/** Reads a name (length, UTF-8 bytes): [string, next offset]. */
function name(bytes, at) {
  const [len, start] = uleb(bytes, at);
  return [bytes.subarray(start, start + len).toString('utf8'), start + len];
}

const encodeName = (s) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([encodeUleb(b.length), b]);
};

/** Skips an import's description (function, table, memory, global or tag). */
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (p) => {
    const flags = bytes[p++];
    let [, q] = uleb(bytes, p);
    if (flags & 1) [, q] = uleb(bytes, q);
    return q;
  };
  switch (kind) {
    case 0x00: // function: its type's index
    case 0x04: // tag: an attribute byte, then its type's index
      return uleb(bytes, kind === 0x04 ? at + 1 : at)[1];
    case 0x01: // table: its element type, then limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: its value type and mutability
      return at + 2;
    default:
      return fail(`an import of kind ${kind}, which this script does not know`);
  }
}

/** The n-th short name: a, b, ..., z, A, ..., Z, then a0, b0, ... (valid JS identifiers). */
function shortName(n) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const first = letters[n % letters.length];
  const rest = Math.floor(n / letters.length);
  return rest === 0 ? first : `${first}${(rest - 1).toString(36)}`;
}

const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');
if (wasm.readUInt32LE(0) !== 0x6d736100) fail('not a wasm module');

/** Replaces every whole word `long` of the JS with `short`; refuses a name the JS lacks. */
function rename(long, short) {
  const word = new RegExp(`(?<![\\w$])${long.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
  if (!word.test(js)) fail(`${long} is not in ${jsPath}`);
  js = js.replace(word, short);
  return short;
}

/** The module `./NAME_bg.js`, a quoted key of the imports object, as `a`: once per module. */
const modules = new Map();
function renameModule(long) {
  if (!modules.has(long)) {
    if (modules.size > 0) fail(`imports from two modules, ${[...modules.keys()][0]} and ${long}`);
    const key = JSON.stringify(long);
    if (js.split(key).length !== 2) fail(`${key} is not a key of ${jsPath} exactly once`);
    js = js.replace(key, 'a');
    modules.set(long, 'a');
  }
  return modules.get(long);
}

const parts = [wasm.subarray(0, 8)];
let at = 8;
let renamed = 0;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = uleb(wasm, at + 1);
  const end = start + size;
  if (id === 7) {
    // The export section: (name, kind, index) each. Only wasm-bindgen's closure shims
    // (`wasm_bindgen_<hash>___convert__closures_____invoke___...`, up to 330 characters),
    // which only its module calls, are renamed (`_a`, `_b`, ...); the app's (`main`, the
    // on-demand bundle's functions), `memory`, the allocator (`__wbindgen_malloc`, which a
    // test calls) and the rest keep theirs.
    let [count, p] = uleb(wasm, start);
    const entries = [encodeUleb(count)];
    let n = 0;
    while (count-- > 0) {
      const [field, afterField] = name(wasm, p);
      let [, afterIndex] = uleb(wasm, afterField + 1);
      const internal = field.startsWith('wasm_bindgen_');
      entries.push(encodeName(internal ? rename(field, `_${shortName(n++)}`) : field), wasm.subarray(afterField, afterIndex));
      p = afterIndex;
    }
    if (p !== end) fail('its export section is not as long as it says');
    const body = Buffer.concat(entries);
    parts.push(Buffer.from([7]), encodeUleb(body.length), body);
    at = end;
    continue;
  }
  if (id === 0 && ['producers', 'target_features'].includes(name(wasm, start)[0])) {
    at = end; // read by no browser
    continue;
  }
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  // The import section: (module, name, description) each; wasm-bindgen's are in module "wbg".
  let [count, p] = uleb(wasm, start);
  const entries = [encodeUleb(count)];
  while (count-- > 0) {
    const [module, afterModule] = name(wasm, p);
    const [field, afterField] = name(wasm, afterModule);
    const afterDescription = skipDescription(wasm, afterField);
    let [newModule, newField] = [module, field];
    if (module === 'wbg' || module.endsWith('_bg.js')) newField = rename(field, shortName(renamed++));
    if (module.endsWith('_bg.js')) newModule = renameModule(module);
    entries.push(encodeName(newModule), encodeName(newField), wasm.subarray(afterField, afterDescription));
    p = afterDescription;
  }
  if (p !== end) fail('its import section is not as long as it says');
  const body = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeUleb(body.length), body);
  at = end;
}

writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(jsPath, js);
console.error(`minify-imports: ${renamed} imports renamed in ${wasmPath.split("/").pop()}`);
