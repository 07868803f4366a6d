// Which file a distlab://app URL serves, and the CSP the protocol sends with it.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contentType, pageContentSecurityPolicy, rendererFilePath } from '../../electron/renderer-files.js';

const root = path.resolve('/srv/distlab/dist/renderer');

describe('renderer files behind distlab://app', () => {
  it('maps app URLs to files under the renderer folder', () => {
    expect(rendererFilePath('distlab://app/', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath('distlab://app/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFilePath('distlab://app/assets/index-1a2b.js?v=2#top', root)).toBe(path.join(root, 'assets', 'index-1a2b.js'));
    expect(rendererFilePath('distlab://app/assets/a%20b.css', root)).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it('never leaves the renderer folder, and serves no other host or scheme', () => {
    for (const url of [
      'distlab://app/../../etc/passwd',
      'distlab://app/%2e%2e/%2e%2e/etc/passwd',
      'distlab://app/assets/..%2f..%2f..%2fetc%2fpasswd',
      'distlab://app/..%5c..%5cwindows',
      'distlab://app/a%00.js',
      'distlab://app/%E0%A4%A',
      'distlab://other/index.html',
      'file:///etc/passwd',
      'https://app/index.html',
    ]) {
      const file = rendererFilePath(url, root);
      expect(file === null || file.startsWith(root + path.sep), url).toBe(true);
    }
    expect(rendererFilePath('distlab://app/assets/..%2f..%2f..%2fetc%2fpasswd', root)).toBe(path.join(root, 'etc', 'passwd'));
    expect(rendererFilePath('distlab://app/..%5c..%5cwindows', root)).toBeNull();
    expect(rendererFilePath('distlab://app/a%00.js', root)).toBeNull();
    expect(rendererFilePath('distlab://app/%E0%A4%A', root)).toBeNull();
    expect(rendererFilePath('distlab://other/index.html', root)).toBeNull();
  });

  it('gives each file its content type', () => {
    expect(contentType('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('/x/a.woff2')).toBe('font/woff2');
    expect(contentType('/x/blob')).toBe('application/octet-stream');
  });
});

describe('content security policy', () => {
  it('is read from the page, the same one the protocol sends as a header', () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const policy = pageContentSecurityPolicy(html);
    expect(policy).not.toBeNull();
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('finds the meta tag whatever its attribute order and quotes, and nothing when it is missing', () => {
    expect(pageContentSecurityPolicy(`<meta content='default-src "self"' http-equiv='Content-Security-Policy'>`)).toBe('default-src "self"');
    expect(pageContentSecurityPolicy('<meta charset="utf-8"><meta name="viewport" content="width=device-width">')).toBeNull();
  });
});
