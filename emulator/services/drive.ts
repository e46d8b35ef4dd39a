/**
 * DriveApp fake (minimal, for backups): folders and files in a DriveStore. Spreadsheets of the
 * Sheets fake appear as files in the root folder, and copying one copies the whole spreadsheet.
 */
import type { Execution } from '../core';
import { scriptError, strict } from '../core';
import { requireAuth } from './common';

const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';
const FOLDER_MIME = 'application/vnd.google-apps.folder';
const SCOPE = 'https://www.googleapis.com/auth/drive';

/** What Drive needs of the Sheets store (structural, so Drive does not depend on its internals). */
export interface SpreadsheetFiles {
  list(): { id: string; name: string }[];
  get(id: string): { id: string; name: string } | undefined;
  copy(source: never, name: string): { id: string; name: string };
}

interface Item {
  id: string;
  name: string;
  mimeType: string;
  parentId: string | null;
  created: number;
  trashed: boolean;
  content: string;
}

/** The persistent Drive: folders and files by id. */
export class DriveStore {
  readonly items = new Map<string, Item>();
  readonly rootId: string;
  private seq = 0;

  constructor(private readonly sheets?: SpreadsheetFiles, now = 0) {
    this.rootId = this.add({ name: 'My Drive', mimeType: FOLDER_MIME, parentId: null, created: now, content: '' }).id;
  }

  /** Adds an item and returns it. */
  add(item: Omit<Item, 'id' | 'trashed'> & { id?: string }): Item {
    const id = item.id ?? `1EmuDrive${String(++this.seq).padStart(6, '0')}`.padEnd(33, 'x');
    const full: Item = { ...item, id, trashed: false };
    this.items.set(id, full);
    return full;
  }

  /** Registers spreadsheets the Sheets fake knows but Drive does not yet (they live in the root folder). */
  sync(now: number): void {
    for (const ss of this.sheets?.list() ?? []) {
      if (!this.items.has(ss.id)) this.add({ id: ss.id, name: ss.name, mimeType: SPREADSHEET_MIME, parentId: this.rootId, created: now, content: '' });
    }
  }

  /** An item by id (a spreadsheet's name is read from the Sheets fake). */
  get(id: string, now: number): Item | undefined {
    this.sync(now);
    const item = this.items.get(id);
    const ss = item && item.mimeType === SPREADSHEET_MIME ? this.sheets?.get(id) : undefined;
    if (item && ss) item.name = ss.name;
    return item;
  }

  /** Copies a file; a spreadsheet is deep-copied in the Sheets fake. */
  copy(item: Item, name: string, parentId: string, now: number): Item {
    const ss = item.mimeType === SPREADSHEET_MIME ? this.sheets?.get(item.id) : undefined;
    if (ss && this.sheets) {
      const copy = this.sheets.copy(ss as never, name);
      return this.add({ id: copy.id, name, mimeType: SPREADSHEET_MIME, parentId, created: now, content: '' });
    }
    return this.add({ name, mimeType: item.mimeType, parentId, created: now, content: item.content });
  }

  /** Children of a folder, in creation order (trashed ones included, as DriveApp iterators do). */
  children(folderId: string, now: number): Item[] {
    this.sync(now);
    return [...this.items.keys()].map((id) => this.get(id, now)!).filter((i) => i.parentId === folderId);
  }
}

/** The `DriveApp` global of one execution. */
export function makeDriveApp(store: DriveStore, exec: Execution): GoogleAppsScript.Drive.DriveApp {
  const now = () => exec.clock.now();
  const notFound = () => scriptError(exec, 'No item with the given ID could be found. Possibly because you have not edited this item or you do not have permission to access it.');

  const iterator = <T>(name: string, items: Item[], wrap: (i: Item) => T) => {
    let i = 0;
    return strict(exec, 'Drive', name, {
      hasNext: () => i < items.length,
      next: () => {
        if (i >= items.length) throw scriptError(exec, 'Cannot retrieve the next object: iterator has reached the end.');
        return wrap(items[i++]);
      },
      getContinuationToken: () => null,
    });
  };

  const common = (item: Item, self: () => unknown) => ({
    getId: () => item.id,
    getName: () => store.get(item.id, now())!.name,
    setName: (n: string) => {
      item.name = String(n);
      return self();
    },
    getDateCreated: () => new exec.realm.Date(item.created),
    getUrl: () => (item.mimeType === FOLDER_MIME ? `https://drive.google.com/drive/folders/${item.id}` : `https://drive.google.com/file/d/${item.id}/view`),
    isTrashed: () => item.trashed,
    setTrashed: (t: boolean) => {
      item.trashed = Boolean(t);
      return self();
    },
    getParents: () => iterator('FolderIterator', item.parentId ? [store.items.get(item.parentId)!] : [], folder),
  });

  const asItem = (v: unknown, kind: 'folder' | 'file'): Item => {
    const id = v && typeof v === 'object' ? (v as { getId(): string }).getId() : undefined;
    const item = id ? store.get(id, now()) : undefined;
    if (!item || (item.mimeType === FOLDER_MIME) !== (kind === 'folder')) throw scriptError(exec, `Invalid argument: ${kind}`);
    return item;
  };

  function file(item: Item): GoogleAppsScript.Drive.File {
    const self: unknown = strict(exec, 'Drive', 'File', {
      ...common(item, () => self),
      getMimeType: () => item.mimeType,
      getBlob: () => {
        throw scriptError(exec, 'not implemented: File.getBlob');
      },
      makeCopy: (name?: string, dest?: unknown) => {
        const parent = dest === undefined ? (item.parentId ?? store.rootId) : asItem(dest, 'folder').id;
        return file(store.copy(item, name === undefined ? `Copy of ${store.get(item.id, now())!.name}` : String(name), parent, now()));
      },
      moveTo: (dest: unknown) => {
        item.parentId = asItem(dest, 'folder').id;
        return self;
      },
    });
    return self as GoogleAppsScript.Drive.File;
  }

  function folder(item: Item): GoogleAppsScript.Drive.Folder {
    const self: unknown = strict(exec, 'Drive', 'Folder', {
      ...common(item, () => self),
      getFiles: () => iterator('FileIterator', store.children(item.id, now()).filter((i) => i.mimeType !== FOLDER_MIME), file),
      getFilesByName: (name: string) => iterator('FileIterator', store.children(item.id, now()).filter((i) => i.mimeType !== FOLDER_MIME && i.name === String(name)), file),
      getFolders: () => iterator('FolderIterator', store.children(item.id, now()).filter((i) => i.mimeType === FOLDER_MIME), folder),
      getFoldersByName: (name: string) => iterator('FolderIterator', store.children(item.id, now()).filter((i) => i.mimeType === FOLDER_MIME && i.name === String(name)), folder),
      createFolder: (name: string) => folder(store.add({ name: String(name), mimeType: FOLDER_MIME, parentId: item.id, created: now(), content: '' })),
      createFile: (name: string, content: string, mimeType?: string) =>
        file(store.add({ name: String(name), mimeType: mimeType ?? 'text/plain', parentId: item.id, created: now(), content: String(content ?? '') })),
    });
    return self as GoogleAppsScript.Drive.Folder;
  }

  const authed = <A extends unknown[], R>(method: string, fn: (...a: A) => R) => (...a: A): R => {
    requireAuth(exec, `DriveApp.${method}`, SCOPE);
    return fn(...a);
  };
  const byId = (kind: 'folder' | 'file', id: unknown) => {
    const item = store.get(String(id), now());
    if (!item || (item.mimeType === FOLDER_MIME) !== (kind === 'folder')) throw notFound();
    return item;
  };
  const all = (pred: (i: Item) => boolean) => {
    store.sync(now());
    return [...store.items.keys()].map((id) => store.get(id, now())!).filter((i) => i.id !== store.rootId && pred(i));
  };

  return strict(exec, 'Drive', 'DriveApp', {
    getRootFolder: authed('getRootFolder', () => folder(store.items.get(store.rootId)!)),
    getFolderById: authed('getFolderById', (id: string) => folder(byId('folder', id))),
    getFileById: authed('getFileById', (id: string) => file(byId('file', id))),
    getFoldersByName: authed('getFoldersByName', (name: string) => iterator('FolderIterator', all((i) => i.mimeType === FOLDER_MIME && i.name === String(name)), folder)),
    getFilesByName: authed('getFilesByName', (name: string) => iterator('FileIterator', all((i) => i.mimeType !== FOLDER_MIME && i.name === String(name)), file)),
    getFiles: authed('getFiles', () => iterator('FileIterator', all((i) => i.mimeType !== FOLDER_MIME), file)),
    createFolder: authed('createFolder', (name: string) => folder(store.add({ name: String(name), mimeType: FOLDER_MIME, parentId: store.rootId, created: now(), content: '' }))),
    createFile: authed('createFile', (name: string, content: string, mimeType?: string) =>
      file(store.add({ name: String(name), mimeType: mimeType ?? 'text/plain', parentId: store.rootId, created: now(), content: String(content ?? '') })),
    ),
  }) as unknown as GoogleAppsScript.Drive.DriveApp;
}
