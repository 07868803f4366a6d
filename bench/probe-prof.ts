// temporary: profile the live view
import path from 'node:path';
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chartsDrawnInPage, launchBrowser, PAGE_PROBES, repoRoot, startLabServer, tempDir, VIEWPORT } from './ui-support.js';

const nodes = Number(process.env.NODES ?? 20), rate = Number(process.env.RATE ?? 10000);
const yaml = `name: ui-bench-live
seed: 7
duration: 60s
nodes:
  count: ${nodes}
  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'dist/bench/ui-load-node.js'))}]
  env: { UI_BENCH_RATE: "${rate / nodes}" }
network:
  latency: { distribution: normal, mean: 5ms, jitter: 2ms }
  loss: 0.01
`;
const tmp = tempDir('probe-');
const server = await startLabServer(path.join(tmp.dir, 'r.db'));
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(server.url);
  await page.getByRole('button', { name: /New experiment/ }).first().click();
  await page.getByLabel('Experiment YAML').fill(yaml);
  const run = page.getByRole('button', { name: /^Run\b/ });
  await run.and(page.locator(':enabled')).waitFor({ timeout: 10_000 });
  await run.click();
  await page.getByTestId('run-view').waitFor();
  await page.evaluate(PAGE_PROBES);
  await page.waitForFunction(chartsDrawnInPage, null, { timeout: 60_000, polling: 250 });
  await page.waitForTimeout(3000);
  console.log(execSync('ps -eo pcpu,rss,comm,args --sort=-pcpu | head -12').toString());
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await page.waitForTimeout(8000);
  const { profile } = await cdp.send('Profiler.stop') as any;
  console.log(execSync('ps -eo pcpu,rss,comm,args --sort=-pcpu | head -8').toString());
  writeFileSync('/tmp/uiprobe/live.cpuprofile', JSON.stringify(profile));
  // self time per function
  const self = new Map<string, number>();
  const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const dt: number[] = profile.timeDeltas;
  const counts = new Map<number, number>();
  profile.samples.forEach((s: number, i: number) => counts.set(s, (counts.get(s) ?? 0) + (dt[i] ?? 0)));
  let total = 0;
  for (const [id, us] of counts) {
    const n = byId.get(id); const cf = n.callFrame;
    const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + us); total += us;
  }
  console.log('total sampled ms', total / 1000, 'over', Date.now() - t0);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / 1000).toFixed(0).padStart(6), k);
} finally {
  await browser.close();
  await server.stop();
  tmp.remove();
}
