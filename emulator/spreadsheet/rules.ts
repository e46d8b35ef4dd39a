/**
 * Data validation and conditional format rules: their builders (from SpreadsheetApp.newDataValidation /
 * newConditionalFormatRule), the built rules, and the criteria enums.
 */

import { Ctx, expose, fail, implOf, makeEnum, realmArray, toScript, translateErrors } from './ctx';
import type { ConditionalRuleData, ValidationData } from './model';
import { rawToCell } from './values';

/** Members of SpreadsheetApp.DataValidationCriteria. */
export const DATA_VALIDATION_CRITERIA = [
  'DATE_AFTER', 'DATE_BEFORE', 'DATE_BETWEEN', 'DATE_EQUAL_TO', 'DATE_IS_VALID_DATE', 'DATE_NOT_BETWEEN',
  'DATE_ON_OR_AFTER', 'DATE_ON_OR_BEFORE', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO', 'NUMBER_GREATER_THAN',
  'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO', 'NUMBER_NOT_BETWEEN',
  'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO', 'TEXT_IS_VALID_EMAIL',
  'TEXT_IS_VALID_URL', 'VALUE_IN_LIST', 'VALUE_IN_RANGE', 'CUSTOM_FORMULA', 'CHECKBOX',
] as const;

/** Members of SpreadsheetApp.BooleanCriteria. */
export const BOOLEAN_CRITERIA = [
  'CELL_EMPTY', 'CELL_NOT_EMPTY', 'DATE_AFTER', 'DATE_BEFORE', 'DATE_EQUAL_TO', 'DATE_NOT_EQUAL_TO',
  'DATE_AFTER_RELATIVE', 'DATE_BEFORE_RELATIVE', 'DATE_EQUAL_TO_RELATIVE', 'NUMBER_BETWEEN', 'NUMBER_EQUAL_TO',
  'NUMBER_GREATER_THAN', 'NUMBER_GREATER_THAN_OR_EQUAL_TO', 'NUMBER_LESS_THAN', 'NUMBER_LESS_THAN_OR_EQUAL_TO',
  'NUMBER_NOT_BETWEEN', 'NUMBER_NOT_EQUAL_TO', 'TEXT_CONTAINS', 'TEXT_DOES_NOT_CONTAIN', 'TEXT_EQUAL_TO',
  'TEXT_NOT_EQUAL_TO', 'TEXT_STARTS_WITH', 'TEXT_ENDS_WITH', 'CUSTOM_FORMULA',
] as const;

/** Converts a criteria value from the script to a host value (arrays copied, dates as CellDate, ranges as refs). */
function fromScript(ctx: Ctx, v: unknown, method: string): unknown {
  if (Array.isArray(v)) return Array.from(v, (x) => fromScript(ctx, x, method));
  if (v !== null && typeof v === 'object' && !(Object.prototype.toString.call(v) === '[object Date]')) return ctx.refOf(v, method);
  const cell = rawToCell(v);
  return cell === undefined ? '' : cell;
}

// ---- data validation --------------------------------------------------------------------------

/** SpreadsheetApp.newDataValidation() and DataValidation.copy(). */
export class DataValidationBuilderImpl {
  _self: unknown;
  _criteriaType: string | null = null;
  _criteriaValues: unknown[] = [];
  _allowInvalid = true;
  _helpText: string | null = null;
  constructor(public _ctx: Ctx) {}

  _set(type: string, values: unknown[]): unknown {
    this._criteriaType = type;
    this._criteriaValues = values.map((v) => fromScript(this._ctx, v, `DataValidationBuilder.${type}`));
    return this._self;
  }
  requireCheckbox(checked?: unknown, unchecked?: unknown) {
    return this._set('CHECKBOX', checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked]);
  }
  requireValueInList(values: unknown[], showDropdown = true) {
    if (!Array.isArray(values)) fail("The parameters don't match the method signature for DataValidationBuilder.requireValueInList.");
    return this._set('VALUE_IN_LIST', [values, showDropdown]);
  }
  requireValueInRange(range: unknown, showDropdown = true) {
    return this._set('VALUE_IN_RANGE', [range, showDropdown]);
  }
  requireNumberBetween(start: number, end: number) { return this._set('NUMBER_BETWEEN', [start, end]); }
  requireNumberNotBetween(start: number, end: number) { return this._set('NUMBER_NOT_BETWEEN', [start, end]); }
  requireNumberEqualTo(n: number) { return this._set('NUMBER_EQUAL_TO', [n]); }
  requireNumberGreaterThan(n: number) { return this._set('NUMBER_GREATER_THAN', [n]); }
  requireNumberGreaterThanOrEqualTo(n: number) { return this._set('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  requireNumberLessThan(n: number) { return this._set('NUMBER_LESS_THAN', [n]); }
  requireNumberLessThanOrEqualTo(n: number) { return this._set('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  requireDate() { return this._set('DATE_IS_VALID_DATE', []); }
  requireDateAfter(d: Date) { return this._set('DATE_AFTER', [d]); }
  requireDateBefore(d: Date) { return this._set('DATE_BEFORE', [d]); }
  requireTextIsEmail() { return this._set('TEXT_IS_VALID_EMAIL', []); }
  requireTextIsUrl() { return this._set('TEXT_IS_VALID_URL', []); }
  requireTextContains(t: string) { return this._set('TEXT_CONTAINS', [t]); }
  requireTextEqualTo(t: string) { return this._set('TEXT_EQUAL_TO', [t]); }
  requireFormulaSatisfied(f: string) { return this._set('CUSTOM_FORMULA', [f]); }
  withCriteria(criteria: string, args: unknown[]) {
    if (!(DATA_VALIDATION_CRITERIA as readonly string[]).includes(String(criteria))) fail(`Invalid argument: criteria`);
    return this._set(String(criteria), Array.from(args ?? []));
  }
  setAllowInvalid(allow: boolean) {
    this._allowInvalid = !!allow;
    return this._self;
  }
  setHelpText(text: string) {
    this._helpText = String(text);
    return this._self;
  }
  getCriteriaType() { return this._criteriaType; }
  getCriteriaValues() { return toScript(this._ctx, this._criteriaValues); }
  getAllowInvalid() { return this._allowInvalid; }
  getHelpText() { return this._helpText; }
  build() {
    if (!this._criteriaType) fail('You must set a criteria before building a data validation rule.');
    const data: ValidationData = Object.freeze({
      criteriaType: this._criteriaType!,
      criteriaValues: Object.freeze(this._criteriaValues.slice()),
      allowInvalid: this._allowInvalid,
      helpText: this._helpText,
    });
    return makeDataValidation(this._ctx, data);
  }
}
translateErrors(DataValidationBuilderImpl);

/** A built DataValidation (immutable). */
export class DataValidationImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _data: ValidationData) {}
  getCriteriaType() { return this._data.criteriaType; }
  getCriteriaValues() { return toScript(this._ctx, this._data.criteriaValues); }
  getAllowInvalid() { return this._data.allowInvalid; }
  getHelpText() { return this._data.helpText; }
  copy() {
    const b = newDataValidationBuilder(this._ctx);
    const impl = implOf(b, DataValidationBuilderImpl)!;
    impl._criteriaType = this._data.criteriaType;
    impl._criteriaValues = this._data.criteriaValues.slice();
    impl._allowInvalid = this._data.allowInvalid;
    impl._helpText = this._data.helpText;
    return b;
  }
}
translateErrors(DataValidationImpl);

export function newDataValidationBuilder(ctx: Ctx): GoogleAppsScript.Spreadsheet.DataValidationBuilder {
  return expose(ctx, 'Sheets', 'DataValidationBuilder', new DataValidationBuilderImpl(ctx));
}

export function makeDataValidation(ctx: Ctx, data: ValidationData): GoogleAppsScript.Spreadsheet.DataValidation {
  return expose(ctx, 'Sheets', 'DataValidation', new DataValidationImpl(ctx, data));
}

/** The stored data of a DataValidation handed back by the script (null clears). */
export function validationData(rule: unknown): ValidationData | null {
  if (rule === null || rule === undefined) return null;
  const impl = implOf(rule, DataValidationImpl);
  if (!impl) fail("The parameters (object) don't match the method signature for SpreadsheetApp.Range.setDataValidation.");
  return impl!._data;
}

/** The checkbox rule `insertCheckboxes` sets. */
export function checkboxValidation(checked?: unknown, unchecked?: unknown): ValidationData {
  const values = checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked];
  return Object.freeze({ criteriaType: 'CHECKBOX', criteriaValues: Object.freeze(values), allowInvalid: true, helpText: null });
}

// ---- conditional format -----------------------------------------------------------------------

type RuleState = { -readonly [K in keyof ConditionalRuleData]: ConditionalRuleData[K] };

/** SpreadsheetApp.newConditionalFormatRule() and ConditionalFormatRule.copy(). */
export class ConditionalFormatRuleBuilderImpl {
  _self: unknown;
  _state: RuleState = {
    ranges: [], criteriaType: null, criteriaValues: [], background: null, fontColor: null, bold: null, italic: null, strikethrough: null,
  };
  constructor(public _ctx: Ctx) {}

  _when(type: string, values: unknown[]) {
    this._state.criteriaType = type;
    this._state.criteriaValues = values.map((v) => fromScript(this._ctx, v, `ConditionalFormatRuleBuilder.${type}`));
    return this._self;
  }
  _fmt<K extends 'background' | 'fontColor' | 'bold' | 'italic' | 'strikethrough'>(k: K, v: RuleState[K]) {
    this._state[k] = v;
    return this._self;
  }
  whenFormulaSatisfied(f: string) { return this._when('CUSTOM_FORMULA', [f]); }
  whenTextEqualTo(t: string) { return this._when('TEXT_EQUAL_TO', [t]); }
  whenTextContains(t: string) { return this._when('TEXT_CONTAINS', [t]); }
  whenTextDoesNotContain(t: string) { return this._when('TEXT_DOES_NOT_CONTAIN', [t]); }
  whenTextStartsWith(t: string) { return this._when('TEXT_STARTS_WITH', [t]); }
  whenTextEndsWith(t: string) { return this._when('TEXT_ENDS_WITH', [t]); }
  whenCellEmpty() { return this._when('CELL_EMPTY', []); }
  whenCellNotEmpty() { return this._when('CELL_NOT_EMPTY', []); }
  whenNumberGreaterThan(n: number) { return this._when('NUMBER_GREATER_THAN', [n]); }
  whenNumberGreaterThanOrEqualTo(n: number) { return this._when('NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  whenNumberLessThan(n: number) { return this._when('NUMBER_LESS_THAN', [n]); }
  whenNumberLessThanOrEqualTo(n: number) { return this._when('NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  whenNumberBetween(a: number, b: number) { return this._when('NUMBER_BETWEEN', [a, b]); }
  whenNumberEqualTo(n: number) { return this._when('NUMBER_EQUAL_TO', [n]); }
  setBackground(c: string | null) { return this._fmt('background', c); }
  setFontColor(c: string | null) { return this._fmt('fontColor', c); }
  setBold(b: boolean | null) { return this._fmt('bold', b); }
  setItalic(b: boolean | null) { return this._fmt('italic', b); }
  setStrikethrough(b: boolean | null) { return this._fmt('strikethrough', b); }
  setRanges(ranges: unknown[]) {
    if (!Array.isArray(ranges)) fail("The parameters don't match the method signature for ConditionalFormatRuleBuilder.setRanges.");
    this._state.ranges = ranges.map((r) => this._ctx.refOf(r, 'ConditionalFormatRuleBuilder.setRanges'));
    return this._self;
  }
  getRanges() { return realmArray(this._ctx, this._state.ranges.map((r) => this._ctx.range(r))); }
  build() {
    return makeConditionalRule(this._ctx, Object.freeze({ ...this._state, ranges: Object.freeze(this._state.ranges.slice()) }));
  }
}
translateErrors(ConditionalFormatRuleBuilderImpl);

/** A built ConditionalFormatRule. */
export class ConditionalFormatRuleImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _data: ConditionalRuleData) {}
  getRanges() { return realmArray(this._ctx, this._data.ranges.map((r) => this._ctx.range(r))); }
  getBooleanCondition() {
    return this._data.criteriaType ? expose(this._ctx, 'Sheets', 'BooleanCondition', new BooleanConditionImpl(this._ctx, this._data)) : null;
  }
  copy() {
    const b = newConditionalFormatRuleBuilder(this._ctx);
    implOf(b, ConditionalFormatRuleBuilderImpl)!._state = { ...this._data, ranges: this._data.ranges.slice() };
    return b;
  }
}
translateErrors(ConditionalFormatRuleImpl);

/** The condition of a rule, with its formatting. */
export class BooleanConditionImpl {
  _self: unknown;
  constructor(public _ctx: Ctx, public _data: ConditionalRuleData) {}
  getCriteriaType() { return this._data.criteriaType; }
  getCriteriaValues() { return toScript(this._ctx, this._data.criteriaValues); }
  getBackground() { return this._data.background; }
  getFontColor() { return this._data.fontColor; }
  getBold() { return this._data.bold; }
  getItalic() { return this._data.italic; }
  getStrikethrough() { return this._data.strikethrough; }
}
translateErrors(BooleanConditionImpl);

export function newConditionalFormatRuleBuilder(ctx: Ctx): GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder {
  return expose(ctx, 'Sheets', 'ConditionalFormatRuleBuilder', new ConditionalFormatRuleBuilderImpl(ctx));
}

export function makeConditionalRule(ctx: Ctx, data: ConditionalRuleData): GoogleAppsScript.Spreadsheet.ConditionalFormatRule {
  return expose(ctx, 'Sheets', 'ConditionalFormatRule', new ConditionalFormatRuleImpl(ctx, data));
}

/** The stored data of a ConditionalFormatRule handed back by the script. */
export function conditionalRuleData(rule: unknown): ConditionalRuleData {
  const impl = implOf(rule, ConditionalFormatRuleImpl);
  if (!impl) fail("The parameters don't match the method signature for SpreadsheetApp.Sheet.setConditionalFormatRules.");
  return impl!._data;
}

/** The enums SpreadsheetApp exposes. */
export function spreadsheetEnums(ctx: Ctx) {
  return {
    DataValidationCriteria: makeEnum(ctx, 'Sheets', 'DataValidationCriteria', DATA_VALIDATION_CRITERIA),
    BooleanCriteria: makeEnum(ctx, 'Sheets', 'BooleanCriteria', BOOLEAN_CRITERIA),
    WrapStrategy: makeEnum(ctx, 'Sheets', 'WrapStrategy', ['WRAP', 'OVERFLOW', 'CLIP']),
    BorderStyle: makeEnum(ctx, 'Sheets', 'BorderStyle', ['DOTTED', 'DASHED', 'SOLID', 'SOLID_MEDIUM', 'SOLID_THICK', 'DOUBLE']),
  };
}

