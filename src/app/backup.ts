/**
 * SOP Fin de journée 8, "Exporter backup Google Sheets": a dated copy of the whole spreadsheet in
 * the Drive folder "Sirrius - Sauvegardes", once a day, keeping the newest Config backup_keep.
 * The caller holds the script lock.
 */
import { backupsToTrash } from '../domain/routines';
import { backupFolder, copySpreadsheetTo, folderFiles, trashFile } from '../adapters/drive';
import { formatParis, parisDay } from '../adapters/gas-services';
import type { Ctx } from './context';
import { FR } from '../ui/strings.fr';

/** Script Properties: the folder's id, and `day|name` of the last backup (one a day). */
const FOLDER_KEY = 'BACKUP_FOLDER_ID';
const LAST_KEY = 'BACKUP_LAST';

/** What the backup did. */
export interface BackupReport {
  name: string;
  made: boolean;
  trashed: number;
  url: string;
  error: string;
}

/**
 * Makes today's backup unless it exists, then trashes the copies beyond Config backup_keep.
 * Never throws: an error comes back in the report (the evening email and an incident say it).
 */
export function dailyBackup(ctx: Ctx): BackupReport {
  const now = ctx.now();
  const day = parisDay(now);
  const [lastDay, lastName] = ctx.settings.state(LAST_KEY).split('|');
  if (lastDay === day) return { name: lastName ?? '', made: false, trashed: 0, url: '', error: '' };
  const [date, hh, mm] = formatParis(now, 'yyyy-MM-dd HH mm').split(' ');
  const name = FR.routines.backup.name(`${date} ${hh}h${mm}`);
  try {
    const { folder, created } = backupFolder(ctx.settings.state(FOLDER_KEY), FR.routines.backup.folder);
    if (created) ctx.settings.setState(FOLDER_KEY, folder.getId());
    const copy = copySpreadsheetTo(ctx.spreadsheet, name, folder);
    ctx.settings.setState(LAST_KEY, `${day}|${name}`);
    const old = backupsToTrash(folderFiles(folder), FR.routines.backup.prefix, ctx.config().backup_keep);
    old.forEach((f) => trashFile(f.id));
    return { name, made: true, trashed: old.length, url: copy.url, error: '' };
  } catch (e) {
    return { name, made: false, trashed: 0, url: '', error: ctx.redact(e instanceof Error ? e.message : String(e)).slice(0, 300) };
  }
}
