/** The in-memory Apps Script emulator: the runner, the shared plumbing, and every service store. */
export * from './core';
export * from './runtime';
export * from './spreadsheet';
export { PropertiesStore, makePropertiesService } from './services/properties';
export { CacheStore, makeCacheService } from './services/cache';
export { LockStore, makeLockService, type LockKey } from './services/lock';
export { TriggerStore, makeScriptApp, nextRun, type Schedule, type TriggerRecord, type TriggerFailure, type ScriptInfo } from './services/script';
export { MailStore, makeMailApp, type SentMail } from './services/mail';
export { makeUrlFetchApp, type FetchHost } from './services/urlfetch';
export { makeContentService, readTextOutput, MIME_TYPES } from './services/content';
export { makeHtmlService, readHtmlOutput, compileTemplate, escapeHtml, type HtmlStore } from './services/html';
export { makeUtilities, formatDate, parseCsv } from './services/utilities';
export { makeSession, SCRIPT_TIME_ZONE } from './services/session';
export { makeLogger, makeConsole, formatLog } from './services/logger';
export { DriveStore, makeDriveApp, type SpreadsheetFiles } from './services/drive';
export { toRealm, toHost, requireAuth, signedBytes, type RunningExecution } from './services/common';
export { zonedParts, zonedToUtc, isValidTimeZone } from './services/tz';
export * from './providers';
