import { it } from 'vitest';
import { primaryBackup } from '../../../core/protocols/replication/primary-backup.js';
import { PbSim } from './pb-sim.js';
it('dump', () => {
  const sim = new PbSim(primaryBackup, ['n1', 'n2', 'n3'], { primary: 'elect', mode: 'async' });
  sim.runUntil(300);
  for (let i = 1; i <= 3; i++) sim.request('c1', 'n3', { type: 'write', key: 'k', value: i });
  sim.runUntil(400);
  sim.drop = (from, to, body) => to === 'n2' && body.type === 'replicate';
  sim.request('c1', 'n3', { type: 'write', key: 'k', value: 4 });
  sim.runUntil(410);
  sim.crash('n3');
  sim.drop = () => false;
  sim.runUntil(1200);
  sim.request('c1', 'n1', { type: 'write', key: 'k', value: 5 });
  sim.runUntil(1500);
  for (const r of sim.records) if (r.output.kind !== 'setTimer' && r.output.kind !== 'cancelTimer' && r.output.kind !== 'state' && !(r.output.kind === 'send' && r.output.body.type === 'heartbeat')) console.log(r.time, r.node, JSON.stringify(r.output));
  console.log(JSON.stringify(sim.inbox));
});
