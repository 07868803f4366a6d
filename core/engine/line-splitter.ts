// Splits a byte stream into lines without ever buffering more than maxBytes of one line:
// an over-long line is reported once and skipped up to its newline.
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytesSoFar: number) => void,
    private readonly maxBytes = 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline);
      if (this.skipping) {
        this.skipping = false;
      } else if (this.partBytes + piece.length > this.maxBytes) {
        this.onOversize(this.partBytes + piece.length);
      } else {
        const line = this.parts.length ? Buffer.concat([...this.parts, piece]).toString('utf8') : piece.toString('utf8');
        if (line.length > 0) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      this.parts = [];
      this.partBytes = 0;
      start = newline + 1;
    }
  }

  /** Emits a last line that had no newline. */
  end(): void {
    if (!this.skipping && this.partBytes > 0) this.onLine(Buffer.concat(this.parts).toString('utf8'));
    this.parts = [];
    this.partBytes = 0;
  }

  private keep(rest: Buffer): void {
    if (this.skipping || rest.length === 0) return;
    if (this.partBytes + rest.length > this.maxBytes) {
      this.onOversize(this.partBytes + rest.length);
      this.parts = [];
      this.partBytes = 0;
      this.skipping = true;
      return;
    }
    this.parts.push(Buffer.from(rest));
    this.partBytes += rest.length;
  }
}
