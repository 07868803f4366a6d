import { it } from 'vitest';
import { createSim } from './sim.js';
import { swim } from '../../../core/protocols/failure-detection/swim.js';
const ids = ['n1','n2','n3','n4','n5'];
const show = (sim: any) => sim.events().filter((e: any) => e.type !== 'heartbeat').map((e: any) => `${e.time} ${e.node} ${e.type} ${JSON.stringify(e.data)}`).join('\n');
it('explore', () => {
  const firsts: number[] = []; const lasts: number[] = []; const deads: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const sim = createSim(swim, ids, {}, { seed });
    sim.at(2000, () => sim.crash('n5'));
    sim.runUntil(6000);
    const s = sim.events('suspect').filter(e => e.data.peer === 'n5').map(e => e.time - 2000);
    const d = sim.events('dead').filter(e => e.data.peer === 'n5').map(e => e.time - 2000);
    firsts.push(Math.min(...s)); lasts.push(Math.max(...s)); deads.push(Math.max(...d));
    if (s.length !== 4 || d.length !== 4) console.log('seed', seed, s, d);
  }
  console.log(firsts.reduce((a,b)=>a+b)/40, Math.max(...firsts), Math.max(...lasts), Math.max(...deads));
  for (let seed = 1; seed <= 5; seed++) {
    const sim = createSim(swim, ids, {}, { seed });
    sim.setDrop(({from, body, time}) => from === 'n3' && body.type === 'ack' && time >= 1000 && time < 1200);
    sim.runUntil(5000);
    console.log('refute', seed, show(sim));
  }
});
