// A better-sqlite3 binary for Electron's ABI, kept apart from node_modules (whose build is
// for the system Node, which the CLI and the tests use). The engine host loads it through
// DISTLAB_SQLITE_BINDING (core/store/sqlite-options.ts).
//
// build/electron-native/better-sqlite3-<version>-electron-<version>-<platform>-<arch>/ gets a
// copy of the module's sources, then either Electron's prebuilt binary (prebuild-install, from
// better-sqlite3's GitHub releases) or, failing that, a build from source against Electron's
// headers (node-gyp). Both need the network once; the result is reused afterwards.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const SOURCES = ['package.json', 'binding.gyp', 'src', 'deps', 'lib'];
const HEADERS_URL = 'https://electronjs.org/headers';

export class NativePrepareError extends Error {}

/**
 * Returns the path of better_sqlite3.node built for the given Electron, preparing it if needed.
 * `log` receives one line per step.
 */
export function prepareElectronSqlite({ root, electronVersion, arch = process.arch, platform = process.platform, log = console.log }) {
  const moduleDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const moduleVersion = JSON.parse(readFileSync(path.join(moduleDir, 'package.json'), 'utf8')).version;
  const target = path.join(root, 'build', 'electron-native', `better-sqlite3-${moduleVersion}-electron-${electronVersion}-${platform}-${arch}`);
  const binding = path.join(target, 'build', 'Release', 'better_sqlite3.node');
  const stamp = path.join(target, 'prepared.json');
  const wanted = { module: moduleVersion, electron: electronVersion, platform, arch };
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === JSON.stringify(wanted)) return binding;

  log(`Preparing better-sqlite3 ${moduleVersion} for Electron ${electronVersion} (${platform}-${arch}) in ${path.relative(root, target)}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of SOURCES) cpSync(path.join(moduleDir, entry), path.join(target, entry), { recursive: true });

  // npm's own settings (npm_config_runtime, _target, build_from_source…) must not steer these tools.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const attempts = [];

  const prebuild = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--force', '--verbose'],
    { cwd: target, env, encoding: 'utf8' },
  );
  if (prebuild.status === 0 && existsSync(binding)) {
    writeFileSync(stamp, JSON.stringify(wanted));
    log('  downloaded the prebuilt binary');
    return binding;
  }
  attempts.push(`prebuilt download: ${lastLine(prebuild)}`);

  log('  no prebuilt binary could be downloaded; building from source against Electron\'s headers (a few minutes)');
  const gyp = spawnSync(
    process.execPath,
    [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${HEADERS_URL}`],
    { cwd: target, env, encoding: 'utf8' },
  );
  if (gyp.status === 0 && existsSync(binding)) {
    writeFileSync(stamp, JSON.stringify(wanted));
    log('  built from source');
    return binding;
  }
  attempts.push(`build from source: ${lastLine(gyp)}`);
  throw new NativePrepareError(`Could not prepare better-sqlite3 for Electron ${electronVersion}:\n  - ${attempts.join('\n  - ')}`);
}

/** The last meaningful line a tool printed, for a one-line reason. */
function lastLine(result) {
  if (result.error) return result.error.message;
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^gyp info|^prebuild-install info|^npm (info|notice)/.test(line));
  // node-gyp explains itself in its "stack Error:" lines, before the stack frames.
  const gypError = lines.findIndex((line) => /^gyp ERR! stack Error:/.test(line));
  if (gypError >= 0) {
    const explanation = [];
    for (const line of lines.slice(gypError)) {
      const text = line.replace(/^gyp ERR! stack\s*/, '');
      if (!line.startsWith('gyp ERR! stack') || text.startsWith('at ')) break;
      explanation.push(text.replace(/^Error:\s*/, ''));
    }
    return explanation.join(' ').slice(0, 300);
  }
  const problem = lines.reverse().find((line) => /err|fail|not ok|cannot|unable/i.test(line)) ?? lines[0];
  return problem ? problem.slice(0, 300) : `exit code ${result.status}`;
}
