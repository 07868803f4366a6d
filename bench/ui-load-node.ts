// A paced flood node for the live-view benchmark, run by the engine as an external program
// (`nodes.command`, Maelstrom JSON lines on stdio). The built-in `flood` sends as fast as the
// transport accepts and `pingpong` cannot go below 1,000 pings/s per node, so neither gives a
// fixed total rate; this one sends UI_BENCH_RATE messages a second, round-robin to its peers,
// in 10 ms steps, catching up on its own timer's lateness so the rate holds.
import { createInterface } from 'node:readline';

const rate = Number(process.env.UI_BENCH_RATE ?? 500);
const STEP_MS = 10;
let self = '';
let peers: string[] = [];
let sent = 0;
let started = 0;

function write(dest: string, body: Record<string, unknown>): string {
  return `{"src":"${self}","dest":"${dest}","body":${JSON.stringify(body)}}\n`;
}

function step(): void {
  const due = Math.floor(((performance.now() - started) * rate) / 1000);
  let out = '';
  for (; sent < due; sent++) out += write(peers[sent % peers.length], { type: 'flood', seq: sent, payload: 'xxxxxxxxxxxxxxxx' });
  if (out) process.stdout.write(out);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.includes('"init"')) return;
  const message = JSON.parse(line) as { src: string; body: { type: string; msg_id?: number; node_id: string; node_ids: string[] } };
  if (message.body.type !== 'init') return;
  self = message.body.node_id;
  peers = message.body.node_ids.filter((n) => n !== self);
  process.stdout.write(write(message.src, { type: 'init_ok', in_reply_to: message.body.msg_id }));
  started = performance.now();
  if (peers.length > 0 && rate > 0) setInterval(step, STEP_MS);
});
lines.on('close', () => process.exit(0));
