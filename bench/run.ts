// npm run bench: the engine's speed targets, each measured side by side with its
// baseline in this one run, on this machine; then the UI's, in Chromium.
import os from 'node:os';
import { switchThroughput } from './switch-throughput.js';
import { addedLatency } from './added-latency.js';
import { recorderThroughput } from './recorder-throughput.js';
import { bringUp } from './bring-up.js';
import { deliveryFidelity } from './delivery-fidelity.js';
import { fmt } from './support.js';
import { uiFrameTimes } from './ui-frame-times.js';
import { uiOpenRecorded } from './ui-open-recorded.js';
import { CHROMIUM, chromiumMissing } from './ui-support.js';

const say = (line = '') => process.stdout.write(line + '\n');
const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES target');

say(`Distlab engine benchmark — ${new Date().toISOString()}`);
say(`${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
say();

say('1. Switch throughput, every message recorded, vs the same nodes over direct loopback TCP');
for (const nodes of [2, 8]) {
  const r = await switchThroughput(nodes, 400_000);
  say(`   ${nodes} nodes, ${fmt(r.messages)} msgs: switch ${fmt(r.switchMsgsPerSec)} msgs/s, direct ${fmt(r.directMsgsPerSec)} msgs/s, ratio ${fmt(r.switchMsgsPerSec / r.directMsgsPerSec, 2)}; recorded ${fmt(r.recorded)} — ${verdict(r.switchMsgsPerSec >= 100_000 && r.recorded === r.messages)} (≥ 100,000 msgs/s, all recorded)`);
}
say();

say('2. Latency the switch adds, at 10,000 msgs/s (round trips between two nodes)');
const lat = await addedLatency();
say(`   round trip p50: switch ${fmt(lat.rttUs.switch.p50)} µs, direct ${fmt(lat.rttUs.direct.p50)} µs; p99: switch ${fmt(lat.rttUs.switch.p99)} µs, direct ${fmt(lat.rttUs.direct.p99)} µs (${fmt(lat.samples.switch)} / ${fmt(lat.samples.direct)} samples)`);
say(`   added per hop: p50 ${fmt(lat.addedPerHopUs.p50)} µs — ${verdict(lat.addedPerHopUs.p50 <= 100)} (≤ 100 µs); p99 ${fmt(lat.addedPerHopUs.p99)} µs — ${verdict(lat.addedPerHopUs.p99 <= 1000)} (≤ 1,000 µs)`);
say();

say('3. Recorder vs a raw better-sqlite3 batched insert of the same 1,000,000 message rows');
const rec = await recorderThroughput();
say(`   recorder ${fmt(rec.recorderRowsPerSec)} rows/s, raw ${fmt(rec.rawRowsPerSec)} rows/s, ratio ${fmt(rec.recorderRowsPerSec / rec.rawRowsPerSec, 2)} — ${verdict(rec.recorderRowsPerSec >= 0.7 * rec.rawRowsPerSec)} (≥ 0.70)`);
say();

say('4. Time to bring nodes up and through init');
for (const nodes of [10, 50, 100]) {
  const r = await bringUp(nodes);
  say(`   ${nodes} nodes: ${fmt(r.ms)} ms (${r.up} up)${nodes === 100 ? ` — ${verdict(r.ms <= 5000 && r.up === 100)} (≤ 5,000 ms)` : ''}`);
}
say();

say('5. Delivery timing: configured normal(5 ms, sd 2 ms) against measured, 4 ping nodes');
const fid = await deliveryFidelity();
const labels = ['p50', 'p90', 'p99'];
say(`   ${labels.map((l, i) => `${l} configured ${fmt(fid.configuredMs[i], 3)} ms, measured ${fmt(fid.measuredMs[i], 3)} ms (error ${fmt((fid.measuredMs[i] - fid.configuredMs[i]) * 1000)} µs)`).join('\n   ')}`);
say(`   scheduled deliveries left after their due time: p50 ${fid.latenessUs.p50} µs, p99 ${fid.latenessUs.p99} µs, max ${fid.latenessUs.max} µs over ${fmt(fid.messages)} messages — ${verdict(fid.latenessUs.p99 < 1000)} (p99 < 1 ms)`);
say();

// The UI, in Debian's Chromium (headless, software rendering) on this same machine: the
// engine, its nodes and the browser share the cores, as they do on a laptop running the app.
const secs = (ms: number) => `${fmt(ms / 1000)} s`;
if (chromiumMissing()) {
  say(`6./7. UI benchmarks skipped: ${CHROMIUM} is not installed`);
} else {
  say('6. Live run view in Chromium (1440×900) while 20 nodes stream 10,000 msgs/s: requestAnimationFrame intervals over 10 s');
  const ui = await uiFrameTimes();
  const short = ui.achievedMsgsPerSec < 0.95 * ui.targetMsgsPerSec ? ` (SHORT of the ${fmt(ui.targetMsgsPerSec)} asked)` : '';
  const blank = Object.entries(ui.chartsDrawn).filter(([, drawn]) => !drawn).map(([name]) => name);
  say(`   ${ui.nodes} nodes at ${fmt(ui.achievedMsgsPerSec)} msgs/s achieved${short}: frame time p50 ${fmt(ui.frameMs.p50, 1)} ms, p95 ${fmt(ui.frameMs.p95, 1)} ms, p99 ${fmt(ui.frameMs.p99, 1)} ms, max ${fmt(ui.frameMs.max, 1)} ms over ${fmt(ui.frames)} frames — ${verdict(ui.frameMs.p95 < 33)} (p95 < 33 ms)`);
  say(`   ${fmt(ui.slowFrames)} frames over 33 ms; main-thread long tasks ${fmt(ui.longTasks.count)}, ${fmt(ui.longTasks.totalMs)} ms in all, longest ${fmt(ui.longTasks.maxMs)} ms${blank.length ? `; NO DATA in ${blank.join(', ')} at the end` : ''}; section took ${secs(ui.sectionMs)}`);
  say();

  say('7. Opening a recorded run of 1,000,000 messages in Chromium: click on Open until every chart shows data (3 fresh pages each)');
  const rec = await uiOpenRecorded();
  const line = (label: string, o: (typeof rec.shapes)['messages']) => {
    const sorted = [...o.openMs].sort((a, b) => a - b);
    const slowest = sorted[sorted.length - 1];
    return `   ${label}: ${fmt(sorted[sorted.length >> 1])} ms median, ${fmt(slowest)} ms slowest (server's runs.data ${fmt(o.serverMs)} ms, ${fmt(o.payloadBytes / 1e6, 1)} MB) — ${verdict(slowest < 2000)} (< 2,000 ms)`;
  };
  const ping = rec.shapes.ping.run;
  say(line(`messages alone (${rec.shapes.messages.run.nodes} nodes, ${fmt(rec.shapes.messages.run.durationMs / 1000)} s)`, rec.shapes.messages));
  say(line(`as the ping program records them (+${fmt(ping.events)} events, +${fmt(ping.metrics)} metrics)`, rec.shapes.ping));
  say(`   section took ${secs(rec.sectionMs)} (writing the two recordings ${secs(rec.shapes.messages.run.writeMs + ping.writeMs)})`);
}
