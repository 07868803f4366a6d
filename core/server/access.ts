// Who may talk to the browser-mode server: requests to 127.0.0.1 or localhost on our port
// (a DNS-rebinding page names another host), carrying the per-launch token in the URL or in
// the cookie that the first page load sets.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The cookie is per port: cookies ignore ports, and two servers may run side by side. */
export function cookieName(port: number): string {
  return `distlab_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export class Access {
  private readonly token: Buffer;
  private readonly hosts: Set<string>;
  private readonly origins: Set<string>;

  constructor(
    token: string,
    private readonly port: number,
  ) {
    this.token = Buffer.from(token);
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    this.origins = new Set([...this.hosts].map((host) => `http://${host}`));
  }

  /** The token from the query, if it is the right one. */
  queryToken(url: URL): boolean {
    return this.matches(url.searchParams.get('token'));
  }

  /** Null when the request may go on; otherwise why not. */
  refusal(req: IncomingMessage, url: URL): string | null {
    if (!this.hosts.has(req.headers.host ?? '')) return `unexpected Host "${req.headers.host ?? ''}"`;
    const origin = req.headers.origin;
    if (origin !== undefined && !this.origins.has(origin)) return `unexpected Origin "${origin}"`;
    if (this.queryToken(url) || this.matches(readCookie(req.headers.cookie, cookieName(this.port)))) return null;
    return 'missing or wrong token';
  }

  private matches(candidate: string | null): boolean {
    if (candidate === null) return false;
    const given = Buffer.from(candidate);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
