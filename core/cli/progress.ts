// Live progress of a run on the terminal: one redrawn line on a TTY, plain lines elsewhere.
import type { RunProgress } from '../engine/run.js';

const BAR_WIDTH = 24;
const PLAIN_EVERY_MS = 1000;

export class ProgressView {
  private lastPlainMs = -Infinity;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  update(p: RunProgress): void {
    const text = describe(p);
    if (this.out.isTTY) {
      const done = Math.min(1, p.elapsedMs / p.durationMs);
      const filled = Math.round(done * BAR_WIDTH);
      const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
      this.out.write(`\r\x1b[2K${bar} ${text}`);
      this.drawn = true;
    } else if (p.elapsedMs - this.lastPlainMs >= PLAIN_EVERY_MS) {
      this.lastPlainMs = p.elapsedMs;
      this.out.write(`progress ${text}\n`);
    }
  }

  /** Prints a line above the bar without garbling it. */
  line(text: string): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.out.write(text + '\n');
  }

  end(): void {
    if (this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}

function describe(p: RunProgress): string {
  const m = p.messages;
  return [
    `${(p.elapsedMs / 1000).toFixed(1)}s/${(p.durationMs / 1000).toFixed(1)}s${p.phase === 'final' ? ' (final reads)' : ''}`,
    `nodes up ${p.nodesUp}`,
    `msgs sent ${m.sent} delivered ${m.delivered} lost ${m.lost + m.partitioned + m.overflow}`,
    `ops ok ${p.ops.ok} fail ${p.ops.fail} timeout ${p.ops.timeout}`,
  ].join('  ');
}
