// The ready experiments shipped in resources/experiments: each file's `lesson` is its
// description (or, in a file without one, its leading comment block).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Preset } from './contract.js';

export function listPresets(dir: string): Preset[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  } catch (error) {
    throw new Error(`cannot read the presets folder ${dir}: ${(error as Error).message}`);
  }
  return files.sort().map((file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const fields = topFields(text);
    return { id: file, name: fields.name ?? file.replace(/\.ya?ml$/, ''), description: fields.lesson ?? leadingComment(text), text };
  });
}

/** The comment lines before the first other line, without their `#`; blank `#` lines separate paragraphs. */
export function leadingComment(text: string): string {
  const paragraphs: string[][] = [[]];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith('#')) break;
    const content = line.replace(/^#+\s?/, '').trim();
    if (content === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1].push(content);
  }
  return paragraphs
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join(' '))
    .join('\n\n');
}

function topFields(text: string): { name: string | null; lesson: string | null } {
  try {
    const value = parse(text, { logLevel: 'silent' }) as { name?: unknown; lesson?: unknown } | null;
    const textOf = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
    return { name: textOf(value?.name), lesson: textOf(value?.lesson) };
  } catch {
    return { name: null, lesson: null };
  }
}
