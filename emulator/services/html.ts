/**
 * HtmlService fake: HtmlOutput, and templates whose scriptlets (`<?= ?>`, `<?!= ?>`, `<? ?>`) are
 * compiled to JS and run inside the execution's V8 context, so they see the bundle's global
 * functions and the properties the script set on the template.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { scriptError, strict } from '../core';
import { enumOf, type RunningExecution } from './common';

/** Where the built .html files live (persistent configuration of HtmlService). */
export interface HtmlStore {
  htmlDir?: string;
}

interface HtmlOutputState {
  content: string;
  title: string;
  width: number;
  height: number;
}

const outputs = new WeakMap<object, HtmlOutputState>();

/** The content of an HtmlOutput handed back by the script, or undefined if it is not one. */
export function readHtmlOutput(v: unknown): { content: string; title: string } | undefined {
  const s = typeof v === 'object' && v !== null ? outputs.get(v) : undefined;
  return s && { content: s.content, title: s.title };
}

/** HTML-escapes a value as `<?= ?>` does. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Compiles a template to the source of a function `(vars) => string`. `with (vars)` exposes the
 * template's properties as variables; `output` is the page being built, as in Apps Script.
 */
export function compileTemplate(html: string): string {
  const body: string[] = [];
  const re = /<\?(!=|=)?([\s\S]*?)\?>/g;
  let last = 0;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    if (m.index > last) body.push(`__out.push(${JSON.stringify(html.slice(last, m.index))});`);
    const code = m[2].trim();
    if (m[1] === '=') body.push(`__out.push(__esc(${code}));`);
    else if (m[1] === '!=') body.push(`__out.push(__str(${code}));`);
    else body.push(m[2] + '\n');
    last = re.lastIndex;
  }
  if (last < html.length) body.push(`__out.push(${JSON.stringify(html.slice(last))});`);
  return [
    '(function (__vars) {',
    '  var __out = [];',
    "  var __str = function (v) { return v === undefined || v === null ? '' : String(v); };",
    `  var __esc = function (v) { return __str(v).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); };`,
    '  var output = { append: function (s) { __out.push(__str(s)); return output; }, appendUntrusted: function (s) { __out.push(__esc(s)); return output; }, clear: function () { __out.length = 0; return output; }, getContent: function () { return __out.join(""); } };',
    '  with (__vars) {',
    ...body.map((l) => '    ' + l),
    '  }',
    "  return __out.join('');",
    '})',
  ].join('\n');
}

const TEMPLATE_METHODS = ['evaluate', 'getCode', 'getCodeWithComments', 'getRawContent'];

/** The `HtmlService` global of one execution. */
export function makeHtmlService(store: HtmlStore, exec: RunningExecution): GoogleAppsScript.HTML.HtmlService {
  const readFile = (name: string) => {
    const file = String(name).replace(/\.html$/, '');
    const path = store.htmlDir ? join(store.htmlDir, `${file}.html`) : undefined;
    try {
      if (!path) throw new Error('no htmlDir');
      return readFileSync(path, 'utf8');
    } catch {
      throw scriptError(exec, `No HTML file named ${file} was found.`);
    }
  };

  const createHtmlOutput = (html?: string) => {
    const state: HtmlOutputState = { content: html === undefined || html === null ? '' : String(html), title: '', width: 0, height: 0 };
    const meta: { name: string; content: string }[] = [];
    let favicon: string | null = null;
    const self = strict(exec, 'Html', 'HtmlOutput', {
      getContent: () => state.content,
      setContent: (c: string) => {
        state.content = String(c);
        return self;
      },
      append: (c: string) => {
        state.content += String(c);
        return self;
      },
      appendUntrusted: (c: string) => {
        state.content += escapeHtml(String(c));
        return self;
      },
      clear: () => {
        state.content = '';
        return self;
      },
      setTitle: (t: string) => {
        state.title = String(t);
        return self;
      },
      getTitle: () => state.title,
      setWidth: (w: number) => {
        state.width = Number(w);
        return self;
      },
      setHeight: (h: number) => {
        state.height = Number(h);
        return self;
      },
      getWidth: () => state.width,
      getHeight: () => state.height,
      setXFrameOptionsMode: () => self,
      setSandboxMode: () => self,
      addMetaTag: (name: string, content: string) => {
        meta.push({ name: String(name), content: String(content) });
        return self;
      },
      getMetaTags: () => exec.realm.Array.from(meta, (m) => strict(exec, 'Html', 'HtmlOutputMetaTag', { getName: () => m.name, getContent: () => m.content })),
      setFaviconUrl: (url: string) => {
        favicon = String(url);
        return self;
      },
      getFaviconUrl: () => favicon,
    });
    outputs.set(self, state);
    return self;
  };

  // Templates are plain objects (the script assigns arbitrary properties to them), whose methods
  // are counted and checked like the strict fakes' ones.
  const createTemplate = (html: string, fileName = 'template') => {
    const raw = String(html);
    const code = compileTemplate(raw);
    const template = new exec.realm.Object() as Record<string, unknown>;
    const method = (name: string, fn: () => unknown) => {
      Object.defineProperty(template, name, {
        enumerable: false,
        value: () => {
          exec.calls.record('Html', `HtmlTemplate.${name}`);
          const result = fn();
          exec.afterCall?.('Html', `HtmlTemplate.${name}`);
          return result;
        },
      });
    };
    method('evaluate', () => {
      const vars = new exec.realm.Object() as Record<string, unknown>;
      for (const k of Object.keys(template)) if (!TEMPLATE_METHODS.includes(k)) vars[k] = template[k];
      const fn = exec.evaluate(code, `${fileName}.html`) as (v: object) => string;
      return createHtmlOutput(fn(vars));
    });
    method('getCode', () => code);
    method('getCodeWithComments', () => code);
    method('getRawContent', () => raw);
    return template;
  };

  return strict(exec, 'Html', 'HtmlService', {
    createHtmlOutput,
    createHtmlOutputFromFile: (name: string) => createHtmlOutput(readFile(name)),
    createTemplate: (html: string) => createTemplate(html),
    createTemplateFromFile: (name: string) => createTemplate(readFile(name), String(name).replace(/\.html$/, '')),
    XFrameOptionsMode: strict(exec, 'Html', 'XFrameOptionsMode', enumOf('ALLOWALL', 'DEFAULT')),
    SandboxMode: strict(exec, 'Html', 'SandboxMode', enumOf('EMULATED', 'IFRAME', 'NATIVE')),
  }) as unknown as GoogleAppsScript.HTML.HtmlService;
}
