// Where a run's CSV files go unless the person types a folder: the Downloads folder of the
// user the lab runs as, found from the database path in the user's data folder.

/** The CSV files `runs.export` writes, in the order it writes them (core/export/csv.ts). */
export const EXPORT_FILES = ['messages.csv', 'operations.csv', 'events.csv', 'metrics.csv', 'faults.csv', 'logs.csv', 'nodes.csv'] as const;

const HOME_FROM_DATA_DIR = [
  /^(\/home\/[^/]+|\/root|\/Users\/[^/]+)\/(?:\.config|Library\/Application Support)\//,
  /^([A-Za-z]:\\Users\\[^\\]+)\\AppData\\/,
];

export function defaultExportFolder(dbPath: string | undefined, runId: number): string | null {
  if (!dbPath) return null;
  for (const pattern of HOME_FROM_DATA_DIR) {
    const home = pattern.exec(dbPath)?.[1];
    if (home) {
      const sep = home.includes('\\') ? '\\' : '/';
      return `${home}${sep}Downloads${sep}distlab-run-${runId}`;
    }
  }
  // A database elsewhere (--db): put the export beside it.
  const cut = Math.max(dbPath.lastIndexOf('/'), dbPath.lastIndexOf('\\'));
  if (cut < 0) return null;
  const sep = dbPath[cut];
  return `${dbPath.slice(0, cut)}${sep}distlab-run-${runId}`;
}

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
