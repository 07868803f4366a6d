// Which built renderer file a distlab://app/… URL names, its content type, and the page's
// Content-Security-Policy. Pure (no Electron), so that the path checks are unit-tested.
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './ipc-validation.js';
import { contentTypeOf } from '../core/server/content-types.js';


/**
 * The file under rootDir that the URL asks for, or null when the URL is not one of the app's
 * or would leave rootDir. `distlab://app/` is the index page.
 */
export function rendererFilePath(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
  return file.startsWith(root + path.sep) ? file : null;
}

export function contentType(file: string): string {
  return contentTypeOf(file);
}

/**
 * The policy in the page's `<meta http-equiv="Content-Security-Policy">`. The protocol sends
 * the same one as a header, so that it holds from the first byte and for every resource.
 */
export function pageContentSecurityPolicy(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/http-equiv\s*=\s*["']content-security-policy["']/i.test(tag)) continue;
    const content = /\bcontent\s*=\s*"([^"]*)"|\bcontent\s*=\s*'([^']*)'/i.exec(tag);
    const policy = (content?.[1] ?? content?.[2] ?? '').trim();
    if (policy) return policy;
  }
  return null;
}
