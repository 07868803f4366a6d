// Where the main process finds its files, from a checkout and from an installed app.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { appPaths, unpacked } from '../../electron/app-paths.js';

describe('app paths', () => {
  it('from a checkout: everything under the repository', () => {
    const root = path.resolve('/home/ada/distlab');
    expect(appPaths(path.join(root, 'dist/electron/main.js'), false)).toEqual({
      preload: path.join(root, 'dist/electron/preload.cjs'),
      renderer: path.join(root, 'dist/renderer'),
      hostEntry: path.join(root, 'dist/core/api/host-process.js'),
      presets: path.join(root, 'resources/experiments'),
      icon: path.join(root, 'resources/icons/512x512.png'),
    });
  });

  it('installed: the shell and renderer in app.asar, the engine and presets unpacked', () => {
    const resources = path.resolve('/opt/Distlab/resources');
    const paths = appPaths(path.join(resources, 'app.asar/dist/electron/main.js'), true);
    expect(paths.preload).toBe(path.join(resources, 'app.asar/dist/electron/preload.cjs'));
    expect(paths.renderer).toBe(path.join(resources, 'app.asar/dist/renderer'));
    expect(paths.hostEntry).toBe(path.join(resources, 'app.asar.unpacked/dist/core/api/host-process.js'));
    expect(paths.presets).toBe(path.join(resources, 'app.asar.unpacked/resources/experiments'));
  });

  it('maps only an app.asar path segment', () => {
    expect(unpacked(path.resolve('/x/app.asar/a.js'))).toBe(path.resolve('/x/app.asar.unpacked/a.js'));
    expect(unpacked(path.resolve('/x/my-app.asar.d/a.js'))).toBe(path.resolve('/x/my-app.asar.d/a.js'));
    expect(unpacked(path.resolve('/x/y/a.js'))).toBe(path.resolve('/x/y/a.js'));
  });
});
