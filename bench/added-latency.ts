// Round trips between two pingpong nodes at a fixed total of 10,000 msgs/s, through the
// switch and over direct loopback: half the difference is what one switch hop adds. The
// same through a bare relay process (bytes piped, nothing else) shows what any extra hop
// through a process costs on this machine: the floor under the switch's added latency.
import Database from 'better-sqlite3';
import { newRun, sortedQuantile, tempDbPath } from './support.js';
import { runDirect } from './direct.js';
import { nodeNiceness } from '../core/engine/node-process.js';

export interface AddedLatencyResult {
  msgsPerSec: number;
  samples: { switch: number; direct: number };
  rttUs: { switch: { p50: number; p99: number }; direct: { p50: number; p99: number } };
  addedPerHopUs: { p50: number; p99: number };
  relay: { samples: number; rttUs: { p50: number; p99: number }; addedPerHopUs: { p50: number; p99: number } };
}

export async function addedLatency(msgsPerSec = 10_000, seconds = 4): Promise<AddedLatencyResult> {
  // Two nodes each send rate pings/s and answer as many pongs: 4·rate messages per second.
  const rate = msgsPerSec / 4;
  const params = { rate, count: rate * seconds, startDelay: 300 };
  const expected = params.count * 2;

  const dbPath = tempDbPath();
  const run = newRun({ name: 'bench-latency', seed: 1, duration: `${seconds + 5}s`, nodes: { count: 2, program: 'pingpong', params } }, dbPath);
  const summary = await run.execute();
  const db = new Database(dbPath, { readonly: true });
  const viaSwitch = Float64Array.from(db.prepare("select value from metrics where run_id = ? and name = 'rtt_us'").pluck().all(summary.runId) as number[]).sort();
  db.close();

  const direct = await runDirect('pingpong', 2, params, (seen) => seen.length >= expected, (seconds + 10) * 1000);
  const viaDirect = Float64Array.from(direct.filter((t) => t.record[2] === 'rtt_us').map((t) => t.record[3] as number)).sort();

  // Nodes below the relay as the engine runs them below itself.
  const relayed = await runDirect('pingpong', 2, params, (seen) => seen.length >= expected, (seconds + 10) * 1000, nodeNiceness(2), true);
  const viaRelay = Float64Array.from(relayed.filter((t) => t.record[2] === 'rtt_us').map((t) => t.record[3] as number)).sort();

  const q = (a: Float64Array, p: number) => sortedQuantile(a, p);
  return {
    msgsPerSec,
    samples: { switch: viaSwitch.length, direct: viaDirect.length },
    rttUs: { switch: { p50: q(viaSwitch, 0.5), p99: q(viaSwitch, 0.99) }, direct: { p50: q(viaDirect, 0.5), p99: q(viaDirect, 0.99) } },
    addedPerHopUs: { p50: (q(viaSwitch, 0.5) - q(viaDirect, 0.5)) / 2, p99: (q(viaSwitch, 0.99) - q(viaDirect, 0.99)) / 2 },
    relay: {
      samples: viaRelay.length,
      rttUs: { p50: q(viaRelay, 0.5), p99: q(viaRelay, 0.99) },
      addedPerHopUs: { p50: (q(viaRelay, 0.5) - q(viaDirect, 0.5)) / 2, p99: (q(viaRelay, 0.99) - q(viaDirect, 0.99)) / 2 },
    },
  };
}
