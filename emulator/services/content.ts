/** ContentService fake: TextOutput, whose content and MIME type the runner reads back for `request()`. */
import type { Execution } from '../core';
import { strict } from '../core';
import { enumOf } from './common';

/** ContentService.MimeType names and the HTTP content types they are served as. */
export const MIME_TYPES: Record<string, string> = {
  TEXT: 'text/plain',
  JSON: 'application/json',
  XML: 'text/xml',
  CSV: 'text/csv',
  ICAL: 'text/calendar',
  JAVASCRIPT: 'application/javascript',
  RSS: 'application/rss+xml',
  ATOM: 'application/atom+xml',
  VCARD: 'text/vcard',
};

interface TextOutputState {
  content: string;
  mimeType: string;
  fileName: string | null;
}

const outputs = new WeakMap<object, TextOutputState>();

/** The content and HTTP content type of a TextOutput handed back by the script, or undefined if it is not one. */
export function readTextOutput(v: unknown): { mimeType: string; content: string; fileName: string | null } | undefined {
  const s = typeof v === 'object' && v !== null ? outputs.get(v) : undefined;
  return s && { mimeType: MIME_TYPES[s.mimeType] ?? 'text/plain', content: s.content, fileName: s.fileName };
}

/** The `ContentService` global of one execution. */
export function makeContentService(exec: Execution): GoogleAppsScript.Content.ContentService {
  const MimeType = strict(exec, 'Content', 'MimeType', enumOf(...(Object.keys(MIME_TYPES) as (keyof typeof MIME_TYPES & string)[])));
  const createTextOutput = (text?: string) => {
    const state: TextOutputState = { content: text === undefined ? '' : String(text), mimeType: 'TEXT', fileName: null };
    const self = strict(exec, 'Content', 'TextOutput', {
      getContent: () => state.content,
      setContent: (c: string) => {
        state.content = String(c);
        return self;
      },
      append: (c: string) => {
        state.content += String(c);
        return self;
      },
      clear: () => {
        state.content = '';
        return self;
      },
      getMimeType: () => state.mimeType,
      setMimeType: (m: string) => {
        state.mimeType = String(m);
        return self;
      },
      downloadAsFile: (name: string) => {
        state.fileName = String(name);
        return self;
      },
      getFileName: () => state.fileName,
    });
    outputs.set(self, state);
    return self;
  };
  return strict(exec, 'Content', 'ContentService', { createTextOutput, MimeType }) as unknown as GoogleAppsScript.Content.ContentService;
}
