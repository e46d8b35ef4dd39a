/**
 * A small evaluator of Sheets formulas, for what the sandbox must show without Google: the custom
 * formulas of conditional format rules (`=AND($E2="new",NOW()-$B2<0.5)`). It knows cell references
 * (relative or `$`-anchored, moved with the cell as Sheets does for a rule's range), numbers,
 * strings, TRUE/FALSE, `+ - * / & = <> < > <= >=`, and the functions AND, OR, NOT, IF, ISNUMBER,
 * ISBLANK, ISTEXT, NOW, TODAY, LEN, LOWER, UPPER, TRIM. Dates are serial numbers (days since
 * 1899-12-30 in the sheet's time zone), as in Sheets. Anything else is an error, and a rule whose
 * formula errors does not apply (as in Sheets).
 */
import { type SheetData } from '../emulator';
import { CellDate, dateToSerial } from '../emulator/spreadsheet/values';

type Value = number | string | boolean;

class FormulaError extends Error {}

type Node =
  | { k: 'lit'; v: Value }
  | { k: 'ref'; col: number; row: number; absCol: boolean; absRow: boolean }
  | { k: 'call'; name: string; args: Node[] }
  | { k: 'neg'; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"]|"")*")|(\$?[A-Z]{1,3}\$?\d+)|([A-Z][A-Z0-9.]*)\s*\(|(TRUE|FALSE)\b|(<>|<=|>=|[-+*/&=<>(),;]))/iy;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) throw new FormulaError(`unexpected ${src.slice(at, at + 10)}`);
    at = TOKEN.lastIndex;
    if (m[4] !== undefined) out.push(m[4].toUpperCase() + '(');
    else out.push(m[1] ?? m[2] ?? m[3] ?? m[5] ?? m[6]);
  }
  return out;
}

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** Parses a formula (with or without its leading `=`). */
export function parseFormula(formula: string): Node {
  const toks = tokenize(formula.replace(/^=/, ''));
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new FormulaError(`expected ${t}`);
  };
  const LEVELS = [['=', '<>', '<', '>', '<=', '>='], ['&'], ['+', '-'], ['*', '/']];
  const binary = (level: number): Node => {
    if (level === LEVELS.length) return unary();
    let a = binary(level + 1);
    while (LEVELS[level].includes(peek())) {
      const op = next();
      a = { k: 'bin', op, a, b: binary(level + 1) };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      next();
      return { k: 'neg', a: unary() };
    }
    if (peek() === '+') next();
    return primary();
  };
  const primary = (): Node => {
    const t = next();
    if (t === undefined) throw new FormulaError('unexpected end');
    if (t === '(') {
      const e = binary(0);
      expect(')');
      return e;
    }
    if (/^\d/.test(t)) return { k: 'lit', v: Number(t) };
    if (t[0] === '"') return { k: 'lit', v: t.slice(1, -1).replace(/""/g, '"') };
    if (/^(TRUE|FALSE)$/i.test(t)) return { k: 'lit', v: t.toUpperCase() === 'TRUE' };
    if (t.endsWith('(')) {
      const args: Node[] = [];
      if (peek() !== ')') {
        do args.push(binary(0));
        while ((peek() === ',' || peek() === ';') && next());
      }
      expect(')');
      return { k: 'call', name: t.slice(0, -1), args };
    }
    const ref = /^(\$?)([A-Z]{1,3})(\$?)(\d+)$/i.exec(t);
    if (ref) return { k: 'ref', absCol: ref[1] === '$', col: colNumber(ref[2]), absRow: ref[3] === '$', row: Number(ref[4]) };
    throw new FormulaError(`unexpected ${t}`);
  };
  const node = binary(0);
  if (i < toks.length) throw new FormulaError(`unexpected ${toks[i]}`);
  return node;
}

/** Where a formula is evaluated: the sheet, the cell's offset from the rule's top-left cell, and now. */
export interface FormulaScope {
  sheet: SheetData;
  dRow: number;
  dCol: number;
  now: number;
}

function cellValue(scope: FormulaScope, row: number, col: number): Value | null {
  const v = scope.sheet.cells.get(row, col);
  if (v === undefined) return null;
  if (v instanceof CellDate) return dateToSerial(v.ms, scope.sheet.parent.timeZone);
  return v;
}

const num = (v: Value | null): number => {
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number(v.replace(',', '.'));
  if (v.trim() === '' || Number.isNaN(n)) throw new FormulaError('#VALUE!');
  return n;
};
const str = (v: Value | null): string => (v === null ? '' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));
const bool = (v: Value | null): boolean => (typeof v === 'string' ? (v === '' ? false : v.toUpperCase() === 'TRUE' ? true : v.toUpperCase() === 'FALSE' ? false : Boolean(num(v))) : Boolean(v));

/** Sheets' comparison: text without case, numbers before text before booleans; an empty cell is 0 or "". */
function compare(a: Value | null, b: Value | null): number {
  if (a === null) a = typeof b === 'string' ? '' : typeof b === 'boolean' ? false : 0;
  if (b === null) b = typeof a === 'string' ? '' : typeof a === 'boolean' ? false : 0;
  const rank = (v: Value) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'string') return a.toLowerCase().localeCompare((b as string).toLowerCase());
  return a < b ? -1 : a > b ? 1 : 0;
}

function evaluate(n: Node, scope: FormulaScope): Value | null {
  switch (n.k) {
    case 'lit':
      return n.v;
    case 'ref':
      return cellValue(scope, n.absRow ? n.row : n.row + scope.dRow, n.absCol ? n.col : n.col + scope.dCol);
    case 'neg':
      return -num(evaluate(n.a, scope));
    case 'bin': {
      const a = evaluate(n.a, scope);
      const b = evaluate(n.b, scope);
      switch (n.op) {
        case '+': return num(a) + num(b);
        case '-': return num(a) - num(b);
        case '*': return num(a) * num(b);
        case '/': {
          if (num(b) === 0) throw new FormulaError('#DIV/0!');
          return num(a) / num(b);
        }
        case '&': return str(a) + str(b);
        case '=': return compare(a, b) === 0;
        case '<>': return compare(a, b) !== 0;
        case '<': return compare(a, b) < 0;
        case '>': return compare(a, b) > 0;
        case '<=': return compare(a, b) <= 0;
        case '>=': return compare(a, b) >= 0;
      }
      throw new FormulaError(n.op);
    }
    case 'call': {
      const args = () => n.args.map((a) => evaluate(a, scope));
      const one = () => evaluate(n.args[0], scope);
      switch (n.name) {
        case 'AND': return args().every(bool);
        case 'OR': return args().some(bool);
        case 'NOT': return !bool(one());
        case 'IF': return bool(evaluate(n.args[0], scope)) ? evaluate(n.args[1], scope) : n.args[2] ? evaluate(n.args[2], scope) : false;
        case 'ISNUMBER': return typeof one() === 'number';
        case 'ISTEXT': return typeof one() === 'string';
        case 'ISBLANK': return one() === null;
        case 'NOW': return dateToSerial(scope.now, scope.sheet.parent.timeZone);
        case 'TODAY': return Math.floor(dateToSerial(scope.now, scope.sheet.parent.timeZone));
        case 'LEN': return str(one()).length;
        case 'LOWER': return str(one()).toLowerCase();
        case 'UPPER': return str(one()).toUpperCase();
        case 'TRIM': return str(one()).trim().replace(/\s+/g, ' ');
      }
      throw new FormulaError(`unknown function ${n.name}`);
    }
  }
}

const parsed = new Map<string, Node | null>();

/** True when the formula holds for the cell at the given offset from the rule's first cell; false on any error. */
export function formulaHolds(formula: string, scope: FormulaScope): boolean {
  let node = parsed.get(formula);
  if (node === undefined) {
    try {
      node = parseFormula(formula);
    } catch {
      node = null;
    }
    parsed.set(formula, node);
  }
  if (!node) return false;
  try {
    return bool(evaluate(node, scope));
  } catch {
    return false;
  }
}
