/**
 * The Drive side of the evening backup: a folder the script creates (its id kept in Script
 * Properties), a copy of the bound spreadsheet moved into it, and the old copies trashed.
 * Scopes: the copy is made by Spreadsheet.copy (the spreadsheets scope). DriveApp only touches
 * what the script created (the folder, the copies), but its reference requires the full `drive`
 * scope; the advanced Drive service would work with `drive.file` (see the README).
 */
import type { BackupFile } from '../domain/routines';

type Folder = GoogleAppsScript.Drive.Folder;

/** The backup folder: the one whose id is given if it still exists (not trashed), else a new one. */
export function backupFolder(knownId: string, name: string): { folder: Folder; created: boolean } {
  if (knownId) {
    try {
      const folder = DriveApp.getFolderById(knownId);
      if (!folder.isTrashed()) return { folder, created: false };
    } catch {
      // deleted, or no longer ours: make a new one
    }
  }
  return { folder: DriveApp.createFolder(name), created: true };
}

/** Copies the spreadsheet under `name` into `folder`; the copy's id and URL. */
export function copySpreadsheetTo(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string, folder: Folder): { id: string; url: string } {
  const copy = spreadsheet.copy(name);
  const file = DriveApp.getFileById(copy.getId());
  file.moveTo(folder);
  return { id: file.getId(), url: file.getUrl() };
}

/** The files of a folder (trashed ones included, flagged, as DriveApp lists them). */
export function folderFiles(folder: Folder): BackupFile[] {
  const out: BackupFile[] = [];
  const it = folder.getFiles();
  while (it.hasNext()) {
    const f = it.next();
    out.push({ id: f.getId(), name: f.getName(), created: new Date(f.getDateCreated().getTime()), trashed: f.isTrashed() });
  }
  return out;
}

/** Moves a file to the trash (Drive empties it after 30 days: a mistake can still be undone). */
export function trashFile(id: string): void {
  DriveApp.getFileById(id).setTrashed(true);
}
