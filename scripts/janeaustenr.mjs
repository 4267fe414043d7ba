// Jane Austen's novels as the Debian package r-cran-janeaustenr 1.0.0 holds them (the CRAN package
// janeaustenr by Julia Silge, MIT; the novels as Project Gutenberg prepared them, public domain),
// read without R: the package's lazy-load database (data/Rdata.rdx, an index, and data/Rdata.rdb,
// zlib-compressed objects) in R's XDR serialization. Shared by scripts/make-corpus.mjs (the
// n-gram's text) and scripts/make-lm-corpus.mjs (the transformer's), so that both cut and clean
// the novels the same way.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';

/**
 * The package's folder: `path` if given, else the installed package (apt-get install
 * r-cran-janeaustenr), else the .deb fetched with `apt-get download` and unpacked with dpkg-deb.
 */
function packageDir(path) {
  if (path) return path;
  const installed = '/usr/lib/R/site-library/janeaustenr';
  if (existsSync(join(installed, 'data', 'Rdata.rdb'))) return installed;
  const tmp = mkdtempSync(join(tmpdir(), 'janeaustenr-'));
  execFileSync('apt-get', ['download', 'r-cran-janeaustenr'], { cwd: tmp, stdio: 'inherit' });
  const deb = execFileSync('sh', ['-c', 'ls r-cran-janeaustenr_*.deb'], { cwd: tmp })
    .toString()
    .trim();
  execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: tmp });
  return join(tmp, 'x', 'usr', 'lib', 'R', 'site-library', 'janeaustenr');
}

/** R's XDR serialization: only the types the package's lazy-load database uses. */
function unserialize(buf) {
  let pos = 0;
  const int = () => {
    const v = buf.readInt32BE(pos);
    pos += 4;
    return v;
  };
  const refs = [];
  if (buf.toString('latin1', 0, 2) !== 'X\n') throw new Error('not an XDR serialization');
  pos = 2;
  const formatVersion = int();
  int();
  int();
  if (formatVersion === 3) {
    const n = int(); // the native encoding's name
    pos += n;
  }
  const item = () => {
    const flags = int();
    const type = flags & 0xff;
    const hasAttr = (flags & (1 << 9)) !== 0;
    const hasTag = (flags & (1 << 10)) !== 0;
    switch (type) {
      case 254: // NILVALUE
      case 242: // EMPTYENV
      case 253: // GLOBALENV
      case 241: // BASEENV
      case 251: // MISSINGARG
      case 247: // BASENAMESPACE
        return null;
      case 255: {
        // REFSXP
        const i = flags >> 8 || int();
        return refs[i - 1];
      }
      case 1: {
        // SYMSXP
        const name = item();
        refs.push(name);
        return name;
      }
      case 2: {
        // LISTSXP: a pairlist, read as [tag, value] pairs
        const out = [];
        let attr = null;
        if (hasAttr) attr = item();
        const tag = hasTag ? item() : null;
        out.push([tag, item()]);
        const rest = item();
        if (Array.isArray(rest)) out.push(...rest);
        void attr;
        return out;
      }
      case 9: {
        // CHARSXP
        const n = int();
        if (n === -1) return null;
        const s = buf.toString('utf8', pos, pos + n);
        pos += n;
        return s;
      }
      case 10:
      case 13: {
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++) out.push(int());
        if (hasAttr) item();
        return out;
      }
      case 14: {
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++, pos += 8) out.push(buf.readDoubleBE(pos));
        if (hasAttr) item();
        return out;
      }
      case 16:
      case 19: {
        // STRSXP, VECSXP
        const n = int();
        const out = [];
        for (let i = 0; i < n; i++) out.push(item());
        if (hasAttr) out.attributes = item();
        return out;
      }
      default:
        throw new Error(`unsupported R type ${type}`);
    }
  };
  return item();
}

/**
 * Opens the package (see packageDir) and checks its version: `lines(name)` is a novel's lines as
 * the package stores them (`prideprejudice`, `persuasion`, `emma`, …), null for empty ones.
 */
export function openJaneaustenr(path) {
  const dir = packageDir(path);
  const description = readFileSync(join(dir, 'DESCRIPTION'), 'utf8');
  const version = /^Version:\s*(\S+)/m.exec(description)?.[1];
  if (version !== '1.0.0') throw new Error(`expected janeaustenr 1.0.0, found ${version}`);
  const rdx = unserialize(gunzipSync(readFileSync(join(dir, 'data', 'Rdata.rdx'))));
  const variables = rdx[0];
  const names = variables.attributes.find(([tag]) => tag === 'names')[1];
  const rdb = readFileSync(join(dir, 'data', 'Rdata.rdb'));
  return {
    version,
    lines(name) {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`no ${name} in the package`);
      const [offset, length] = variables[i];
      // Each object: its uncompressed length (4 bytes), then zlib data.
      return unserialize(inflateSync(rdb.subarray(offset + 4, offset + length)));
    },
  };
}

const HEADING = /^\s*chapter\s+(\d+|[ivxlc]+)\.?\s*$/i;

/** A novel's text: from its first chapter heading, headings dropped, `_` (italics) removed. */
export function cleanText(ls) {
  const first = ls.findIndex((l) => l !== null && HEADING.test(l));
  return ls
    .slice(first)
    .filter((l) => l !== null && !HEADING.test(l))
    .join('\n')
    .replace(/_/g, '');
}

/**
 * Word tokens: words (letters with inner apostrophes), numbers, `--` and single other characters.
 * The n-gram's tokens, and where both corpora split each novel's held-out tenth.
 */
export const TOKEN = /[A-Za-z]+(?:['’][A-Za-z]+)*|[0-9]+(?:[.,][0-9]+)*|--|[^\sA-Za-z0-9]/g;
