import { it } from 'vitest';
import { createSim } from './sim.js';
import { heartbeat } from '../../../core/protocols/failure-detection/fixed-timeout.js';
import { phiAccrual } from '../../../core/protocols/failure-detection/phi-accrual.js';
import { swim } from '../../../core/protocols/failure-detection/swim.js';
const ids = ['n1','n2','n3','n4','n5'];
const show = (sim: any) => sim.events().filter((e: any) => e.type !== 'heartbeat').map((e: any) => `${e.time} ${e.node} ${e.type} ${JSON.stringify(e.data)}`).join('\n');
it('explore', () => {
  for (const prog of [heartbeat, phiAccrual, swim]) {
    const sim = createSim(prog, ids, {}, { seed: 7 });
    sim.at(2000, () => sim.pause('n5'));
    sim.at(4000, () => sim.resume('n5'));
    sim.runUntil(6000);
    console.log(prog.name, show(sim));
  }
  const sim = createSim(swim, ids, {}, { seed: 7 });
  sim.setDrop(({from, to}) => (from === 'n1' && to === 'n2') || (from === 'n2' && to === 'n1'));
  sim.runUntil(5000);
  console.log('indirect', show(sim), sim.sends('ping-req').length);
  const sim2 = createSim(swim, ids, {}, { seed: 7 });
  sim2.at(2000, () => sim2.crash('n5'));
  sim2.at(4000, () => sim2.restart('n5'));
  sim2.runUntil(6000);
  console.log('restart', show(sim2));
});
