import { openStore } from '../engine/open-store.js';
import { ExportTargetError } from '../export/csv.js';
import { EXPORT_FORMATS as FORMATS } from '../export/formats.js';
import { UserError } from './user-error.js';

export async function exportCommand(runIdText: string, options: { db: string; out: string; force?: boolean; format?: string }): Promise<number> {
  if (!/^\d+$/.test(runIdText)) throw new UserError(`RUN_ID: expected a run number (see distlab runs), got "${runIdText}"`);
  const format = options.format ?? 'csv';
  if (!Object.hasOwn(FORMATS, format)) throw new UserError(`--format: expected one of ${Object.keys(FORMATS).join(', ')}, got "${format}"`);
  const db = openStore(options.db, { forReading: true });
  try {
    const result = await FORMATS[format as keyof typeof FORMATS](db, Number(runIdText), options.out, {
      overwrite: options.force === true,
      onProgress: (file, rows) => {
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2Kwriting ${file}: ${rows} rows`);
      },
    }).catch((error: unknown) => {
      if (error instanceof ExportTargetError) {
        throw new UserError(`--out: ${error.message}${error.code === 'exists' ? '; give --force to replace them, or another folder' : ''}`);
      }
      throw error;
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
    for (const file of result.files) process.stdout.write(`${file}\t${result.rows[file] ?? ''} rows\n`);
    return 0;
  } finally {
    db.close();
  }
}
