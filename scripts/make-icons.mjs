#!/usr/bin/env node
// Draws Distlab's icon (resources/icons/icon.svg) with Chromium and writes what the packagers
// want: PNGs at 16…1024 px (Linux takes the folder of NxN.png), icon.png at 1024 px,
// icon.ico (Windows: PNG entries 16…256) and icon.icns (macOS: PNG entries 16…1024).
// Run it after changing the SVG: node scripts/make-icons.mjs [path/to/chromium]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const iconsDir = path.join(root, 'resources', 'icons');
const SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

async function renderPngs(svg, executablePath) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'distlab-icons-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const pngs = new Map();
    for (const size of SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">` +
          `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img) => img.decode());
      pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
    }
    return pngs;
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** ICO with PNG-compressed entries (Windows Vista and later). */
function ico(pngs, sizes) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  const entries = [];
  let offset = 6 + 16 * sizes.length;
  for (const size of sizes) {
    const png = pngs.get(size);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0); // 0 means 256
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(entry);
  }
  return Buffer.concat([header, ...entries, ...sizes.map((size) => pngs.get(size))]);
}

/** ICNS with PNG entries, by Apple's type codes. */
function icns(pngs) {
  const types = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
    ['ic10', 1024],
  ];
  const chunks = types.map(([type, size]) => {
    const png = pngs.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const executablePath = process.argv[2] ?? '/usr/bin/chromium';
const svg = readFileSync(path.join(iconsDir, 'icon.svg'), 'utf8');
const pngs = await renderPngs(svg, executablePath);
for (const [size, png] of pngs) writeFileSync(path.join(iconsDir, `${size}x${size}.png`), png);
writeFileSync(path.join(iconsDir, 'icon.png'), pngs.get(1024));
writeFileSync(path.join(iconsDir, 'icon.ico'), ico(pngs, [16, 32, 48, 64, 128, 256]));
writeFileSync(path.join(iconsDir, 'icon.icns'), icns(pngs));
console.log(`icons written to ${path.relative(root, iconsDir)}: ${SIZES.map((s) => `${s}x${s}.png`).join(', ')}, icon.png, icon.ico, icon.icns`);
