// The views a person meets besides a run: the empty runs list, a preset's fault schedule in
// the editor, YAML errors shown next to the text, and the banner when the lab goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, openLab, screenshot, shootElement, type LabServer, type OpenLab } from './browser.js';

describe.skipIf(chromiumMissing)('the lab’s other views in a browser', () => {
  let lab: OpenLab;
  let server: LabServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    lab = await openLab();
    ({ server, page, pageErrors } = lab);
  }, 30_000);

  afterAll(() => lab?.close());

  it('says what to do when there are no runs yet', async () => {
    await page.getByRole('button', { name: /^Runs( \d+ live)?$/ }).first().click();
    await page.getByText(/No runs yet — pick a preset/).first().waitFor();
    await screenshot(page, 'v1-runs-empty');
  });

  it('shows a preset’s fault schedule on the editor’s timeline, in the form and the YAML alike', async () => {
    await page.getByRole('button', { name: 'Experiments', exact: true }).first().click();
    await page.getByRole('button', { name: 'raft-leader-faults', exact: true }).click();
    const faults = page.locator('section', { has: page.getByRole('heading', { name: 'Faults' }) }).first();
    await faults.scrollIntoViewIfNeeded();
    expect(await page.getByLabel('Experiment YAML').inputValue()).toMatch(/faults:/);
    await shootElement(faults, 'v2-editor-faults');
    await screenshot(page, 'v2-editor-raft');
  });

  it('names a YAML error with its line, and disables Run until it is fixed', async () => {
    const yaml = page.getByLabel('Experiment YAML');
    const good = await yaml.inputValue();
    await yaml.fill(good.replace(/^nodes:/m, 'nodes: [oops'));
    const run = page.getByRole('button', { name: /^Run\b/ });
    await expect.poll(() => run.isDisabled(), { timeout: 5000 }).toBe(true);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 5000 }).toMatch(/line \d+/i);
    await screenshot(page, 'v3-yaml-error');
    await yaml.fill(good);
    await expect.poll(() => run.isEnabled(), { timeout: 5000 }).toBe(true);
  });

  it('shows a banner, not a blank page, when the lab goes away', async () => {
    await server.stop();
    await page.getByText(/Lost the connection to the Distlab server/).waitFor({ timeout: 20_000 });
    await screenshot(page, 'v4-connection-lost');
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
