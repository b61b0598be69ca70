// `npm run pack`: builds the wasm, assembles the npm package in target/npm-package/ and packs it
// into target/unlearn-<version>.tgz (the last line printed is the tarball's path).
//
//   node scripts/pack.mjs              build the wasm (cargo + wasm-bindgen), assemble, pack
//   node scripts/pack.mjs --no-build   reuse www/pkg as it is (it must be up to date)
//
// The package: the wasm-bindgen output (--target web) in wasm/, the hand-written layer from npm/
// (index.js, auto.js, node.js, index.d.ts), package.json from npm/package.template.json with the
// version of Cargo.toml, README.md (npm/README.md with the repository README's section on
// certified unlearning included), CHANGELOG.md and LICENSE.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, buildWasm, ensureAll, log } from './toolchain.mjs';

const NPM = join(ROOT, 'npm');
const PKG = join(ROOT, 'www', 'pkg');
export const PACKAGE_DIR = join(ROOT, 'target', 'npm-package');
const TARGET = join(ROOT, 'target');
const GENERATED = ['unlearn.js', 'unlearn.d.ts', 'unlearn_bg.wasm', 'unlearn_bg.wasm.d.ts'];
const LAYER = ['index.js', 'auto.js', 'node.js', 'index.d.ts'];
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The crate's version (Cargo.toml, [package]), which the npm package shares. */
export function crateVersion() {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const section = cargo.split(/^\[/m).find((part) => part.startsWith('package]'));
  const match = section?.match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error('Cargo.toml: no version in [package]');
  if (!SEMVER.test(match[1])) throw new Error(`Cargo.toml: version ${match[1]} is not semver (MAJOR.MINOR.PATCH)`);
  return match[1];
}

/** The repository README's section `## title`, its headings one level lower. */
function readmeSection(title) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const body = readme.slice(start + 1, end < 0 ? undefined : end).trimEnd();
  return body.replace(/^(#+) /gm, '#$1 ');
}

/** npm/README.md with `<!-- include: README.md#Title -->` lines replaced by those sections. */
function packageReadme(version) {
  const template = readFileSync(join(NPM, 'README.md'), 'utf8');
  return template
    .replace(/^<!-- include: README\.md#(.+?) -->$/gm, (_, title) => readmeSection(title))
    .replaceAll('{{version}}', version);
}

function checkChangelog(version) {
  const changelog = readFileSync(join(NPM, 'CHANGELOG.md'), 'utf8');
  const heading = new RegExp(`^## \\[${version.replaceAll('.', '\\.')}\\]`, 'm');
  if (!heading.test(changelog)) {
    throw new Error(`npm/CHANGELOG.md has no entry "## [${version}]" for the version in Cargo.toml; add one before packing`);
  }
  return changelog;
}

/** Assembles target/npm-package/ and packs it; returns the tarball's absolute path. */
export function pack({ build = true } = {}) {
  const version = crateVersion();
  const changelog = checkChangelog(version);
  if (build) {
    ensureAll();
    buildWasm();
  }
  for (const file of GENERATED) {
    if (!existsSync(join(PKG, file))) {
      throw new Error(`www/pkg/${file} is missing: run without --no-build to build the wasm package`);
    }
  }
  log(`assembling the npm package ${version} in target/npm-package/`);
  rmSync(PACKAGE_DIR, { recursive: true, force: true });
  mkdirSync(join(PACKAGE_DIR, 'wasm'), { recursive: true });
  for (const file of GENERATED) copyFileSync(join(PKG, file), join(PACKAGE_DIR, 'wasm', file));
  for (const file of LAYER) {
    const text = readFileSync(join(NPM, file), 'utf8').replaceAll("'__VERSION__'", JSON.stringify(version));
    writeFileSync(join(PACKAGE_DIR, file), text);
  }
  const manifest = JSON.parse(readFileSync(join(NPM, 'package.template.json'), 'utf8'));
  manifest.version = version;
  writeFileSync(join(PACKAGE_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(PACKAGE_DIR, 'README.md'), packageReadme(version));
  writeFileSync(join(PACKAGE_DIR, 'CHANGELOG.md'), changelog);
  copyFileSync(join(ROOT, 'LICENSE'), join(PACKAGE_DIR, 'LICENSE'));

  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', TARGET], {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  const tarball = join(TARGET, info.filename);
  const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
  log(`packed ${info.entryCount} files: ${kib(info.size)} packed, ${kib(info.unpackedSize)} unpacked`);
  return tarball;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tarball = pack({ build: !process.argv.includes('--no-build') });
  console.log(tarball);
}
