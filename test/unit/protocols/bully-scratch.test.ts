import { it } from 'vitest';
import { primaryBackup } from '../../../core/protocols/replication/primary-backup.js';
import { PbSim } from './pb-sim.js';
it('dump', () => {
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const sim = new PbSim(primaryBackup, five, { primary: 'elect', mode: 'sync' });
    for (let i = 0; i < 60; i++) sim.at(150 + i * 40, () => sim.request('c1', five[i % 5], { type: 'write', key: i % 3, value: i }));
    sim.at(600, () => sim.crash('n5'));
    sim.at(1200, () => sim.crash('n4'));
    sim.at(1700, () => sim.start('n4'));
    sim.runUntil(3000);
  for (const r of sim.records) if (r.time > 1690 && r.time < 1900 && r.output.kind !== 'setTimer' && r.output.kind !== 'cancelTimer' && r.output.kind !== 'state' && !(r.output.kind === 'send' && r.output.body.type === 'heartbeat')) console.log(r.time, r.node, JSON.stringify(r.output));
  for (const e of sim.events()) if (e.type==='truncate' || e.type==='snapshot') console.log(e.time, e.node, e.type, JSON.stringify(e.data));
});
