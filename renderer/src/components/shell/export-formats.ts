// The formats the export dialog offers: what each writes, and where to open it. The lab
// writes them with the same code as `distlab export --format` (core/export/formats.ts).
import type { ExportFormat } from '../../../../core/export/formats.js';
import { EXPORT_FILES } from './export-folder.js';

export interface ExportFormatInfo {
  id: ExportFormat;
  label: string;
  /** What the files hold, and what to open them with. */
  text: string;
  /** The files written, in the order they are written. */
  files: readonly string[];
}

export const EXPORT_FORMAT_INFO: readonly ExportFormatInfo[] = [
  {
    id: 'csv',
    label: 'CSV',
    text: 'Messages, operations, events, metrics, faults, logs and nodes, one CSV file each, with header rows. Times are ms since the run’s start.',
    files: EXPORT_FILES,
  },
  {
    id: 'shiviz',
    label: 'ShiViz',
    text: 'A vector-clock log of every send, receive and node event (run.shiviz.log). In ShiViz, pick the file with “Select a file”: its first line sets the parser.',
    files: ['run.shiviz.log'],
  },
  {
    id: 'perfetto',
    label: 'Perfetto',
    text: 'A Chrome trace (run.trace.json): a track per node, states as slices, messages as arrows, faults and metrics. Open it in ui.perfetto.dev or chrome://tracing.',
    files: ['run.trace.json'],
  },
  {
    id: 'jsonl',
    label: 'JSON Lines',
    text: 'One JSON object per recorded row, tagged with its table (run.jsonl), for scripts.',
    files: ['run.jsonl'],
  },
];

export function exportFormatInfo(id: ExportFormat): ExportFormatInfo {
  return EXPORT_FORMAT_INFO.find((f) => f.id === id) ?? EXPORT_FORMAT_INFO[0];
}
