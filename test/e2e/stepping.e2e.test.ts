// Stepping a simulated Raft experiment in a real browser against `distlab serve`: press Step
// in the editor, take events until a message is in flight, pick it on the topology and
// deliver it, see its receiver's changed state highlighted in the inspector; go back, drop
// the same message instead (a branch), and see the branch tree with two branches; then
// compare the two branches in the compare view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumMissing, openLab, screenshot, shootElement, writeNewExperiment, type OpenLab } from './browser.js';

/** Real processes as written: the form's "Runs as: Simulated" turns it into a simulation. */
const RAFT = `name: e2e-step-raft
seed: 3
duration: 3s
nodes: { count: 3, program: raft }
network:
  latency: { distribution: normal, mean: 5ms, jitter: 1ms }
`;

/** The bully election with no loss: firing n2's answer timer early crowns it, and the natural order then crowns n1 in the same term. */
const BULLY_SIM = `name: e2e-step-bully
mode: simulate
seed: 1
duration: 3s
nodes: { count: 3, program: bully }
network: { latency: 5ms }
`;

if (chromiumMissing) console.warn('stepping.e2e: skipped, /usr/bin/chromium is missing (apt-get install chromium)');

/** The data attribute of the step view as a number. */
async function attr(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(name));
}

/** Waits until the lab has answered the last choice. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-testid="step-view"][data-busy]'), undefined, { timeout: 10_000 });
}

describe.skipIf(chromiumMissing)('stepping a simulation in a browser', () => {
  let lab: OpenLab;
  let page: Page;

  beforeAll(async () => {
    lab = await openLab();
    page = lab.page;
  }, 60_000);
  afterAll(async () => {
    await lab?.close();
  });

  it('delivers a message picked on the topology, goes back, branches, and draws both branches', async () => {
    await writeNewExperiment(page, RAFT);
    // Step and Hunt… are for simulations only.
    expect(await page.getByRole('button', { name: 'Step', exact: true }).count()).toBe(0);
    await page.getByRole('radio', { name: 'Simulated' }).click();
    await expect.poll(() => page.getByLabel('Experiment YAML').inputValue()).toMatch(/^mode: simulate$/m);
    await page.getByText('Ready to run').waitFor({ timeout: 10_000 });
    await screenshot(page, 'step0-editor-step-and-hunt');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    const view = page.getByTestId('step-view');
    await view.locator('[data-testid="step-topology"]').waitFor({ timeout: 15_000 });
    expect(await attr(view, 'data-depth')).toBe(0);
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/step\/\d+\?at=\d+$/);

    // After bring-up Raft's nodes wait on their election timers: take events until one has sent.
    const markers = page.locator('[data-testid="step-topology"] [data-message]');
    for (let i = 0; i < 10 && (await markers.count()) === 0; i++) {
      await page.getByRole('button', { name: 'Next event →' }).click();
      await settled(page);
    }
    expect(await markers.count()).toBeGreaterThan(0);
    const before = await attr(view, 'data-depth');
    await screenshot(page, 'step1-messages-in-flight');

    // Pick the first message on the topology: its body and choices show; deliver it.
    const marker = markers.first();
    const messageId = Number(await marker.getAttribute('data-message'));
    const row = page.locator(`[aria-label="Messages in flight"] [data-message="${messageId}"]`);
    const receiver = (await row.locator('.link').innerText()).split('→')[1].trim();
    await marker.click();
    const picked = page.getByTestId('picked-message');
    await picked.waitFor();
    expect(await picked.getAttribute('data-message')).toBe(String(messageId));
    await picked.getByRole('button', { name: 'Deliver' }).click();
    await settled(page);
    await expect.poll(() => attr(view, 'data-depth')).toBe(before + 1);
    expect(await page.getByTestId('step-last').innerText()).toContain(`#${messageId}`);
    // No longer in flight; the receiver's state is shown with what changed highlighted.
    expect(await page.locator(`[aria-label="Messages in flight"] [data-message="${messageId}"]`).count()).toBe(0);
    const inspector = page.getByTestId('step-inspector');
    expect(await inspector.getAttribute('data-node')).toBe(receiver);
    expect(await inspector.locator('[data-changed]').count()).toBeGreaterThan(0);
    expect(await page.locator(`[data-testid="step-topology"] [data-node="${receiver}"]`).getAttribute('class')).toContain('touched');
    await screenshot(page, 'step2-delivered-changed-state');
    await shootElement(inspector, 'step2b-inspector');

    // Back one step: the message is in flight again. Drop it this time: a second branch.
    await page.getByRole('button', { name: '← Back' }).click();
    await settled(page);
    await expect.poll(() => attr(view, 'data-depth')).toBe(before);
    await page.getByRole('button', { name: `Drop message #${messageId}` }).click();
    await settled(page);
    await expect.poll(() => attr(view, 'data-depth')).toBe(before + 1);
    const tree = page.getByTestId('branch-tree');
    expect(await tree.getAttribute('data-branches')).toBe('2');
    expect(await tree.locator(`[data-depth="${before + 1}"]`).count()).toBe(2);
    await screenshot(page, 'step3-two-branches');
    await shootElement(tree, 'step3b-branch-tree');

    // The address names the session and the step: a reload comes back to the same step of the same tree.
    const current = await view.getAttribute('data-current');
    await page.reload();
    await view.locator('[data-testid="step-topology"]').waitFor({ timeout: 15_000 });
    expect(await view.getAttribute('data-current')).toBe(current);
    expect(await tree.getAttribute('data-branches')).toBe('2');

    // Clicking the delivered branch's end goes back to it.
    const other = tree.locator(`[data-depth="${before + 1}"]:not([data-current])`);
    await other.click();
    await settled(page);
    expect(await page.getByTestId('step-last').innerText()).toMatch(new RegExp(`deliver(ed)? #${messageId}`, 'i'));
  });

  it('compares the two branches in the compare view', async () => {
    const tree = page.getByTestId('branch-tree');
    const before = Number(await page.getByTestId('step-view').getAttribute('data-depth'));
    await page.getByRole('button', { name: 'Compare two branches…' }).click();
    await tree.locator(`[data-depth="${before}"]:not([data-current])`).click();
    await page.waitForFunction(() => /^#\/compare\?runs=\d+,\d+$/.test(location.hash), undefined, { timeout: 20_000 });
    await page.getByTestId('compare-table').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('compare-view').innerText()).toContain('These runs were simulated');
    // Each branch is named by its steps.
    const labels = await page.getByTestId('run-label').allInnerTexts();
    expect(labels).toHaveLength(2);
    expect(labels[0]).not.toBe(labels[1]);
    await screenshot(page, 'step4-compare-branches');
  });

  it('runs until a check breaks: a banner names the check and the step, the tree marks it red, and the branch saves as a run', async () => {
    await page.getByRole('button', { name: 'Experiments', exact: true }).click();
    await page.getByLabel('Experiment YAML').fill(BULLY_SIM);
    await page.getByText('Ready to run').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('button', { name: "Fire n2's bully.answer timer" }).click();
    await settled(page);
    await page.getByRole('button', { name: 'Run until a check breaks' }).click();
    const banner = page.getByTestId('step-violation');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.getAttribute('data-check')).toBe('leader-per-term');
    const depth = await attr(page.getByTestId('step-view'), 'data-depth');
    expect(await banner.innerText()).toContain(`The check “leader-per-term” broke at step ${depth}.`);
    const broken = page.getByTestId('branch-tree').locator('[data-violation="leader-per-term"]');
    expect(await broken.count()).toBe(1);
    expect(await broken.getAttribute('data-current')).toBe('true');
    expect(await page.locator('[data-testid="step-checks"] [data-check="leader-per-term"]').getAttribute('data-valid')).toBe('false');
    await screenshot(page, 'step5-check-broken');

    await page.getByRole('button', { name: 'Save branch as run' }).click();
    await page.getByTestId('run-view').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/runs\/\d+/);
  });

  it('says so when a link names a session the lab does not have', async () => {
    await page.evaluate(() => (location.hash = '#/step/999?at=3'));
    await page.getByText('This stepping session is not open').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('step-view').innerText()).toMatch(/\b999\b.*\. Open a mode: simulate experiment and press Step to start one\./);
    await screenshot(page, 'step6-unknown-session');
  });

  it('raised no error in the page', () => {
    expect(lab.pageErrors).toEqual([]);
  });
});
