#!/usr/bin/env node
// Browser tests for Steward: builds (or takes) the `steward` binary, starts `steward serve
// --demo` on port 0 with a fresh data directory, drives Debian's Chromium headless through
// playwright-core, saves a screenshot of every page in tests/browser/screenshots/, and stops
// everything. Usage:
//
//   node run.mjs                 # every *.spec.mjs here
//   node run.mjs center          # only specs whose file name contains "center"
//
// Environment: STEWARD_BIN (a built binary; default: `cargo build -p steward` and
// target/debug/steward), CHROMIUM (default: `which chromium`), HEADED=1 to watch.
//
// A spec file exports `tests`: [{ name, run: async (t) => {} }]. `t` offers:
//   t.base            the server's URL (http://127.0.0.1:PORT)
//   t.dataDir         the server's data directory (outbox in t.dataDir/outbox)
//   t.adminKey        the bootstrap admin API key
//   t.page(opts)      a new page in a new browser context (opts: Playwright context options,
//                     plus { gpc: true } for a GPC browser, { region: "FR" } for X-Steward-Region)
//   t.shot(page, name) a full-page screenshot (screenshots/<spec>--<name>.png)
//   t.doc(page, name)  a screenshot for the documentation (docs/img/<name>.png, committed: the
//                     README's tour shows what the current code renders)
//   t.code(email)     the newest sign-in/verification code e-mailed to `email` (file outbox)
//   t.signIn(page, email) sign in to the privacy center by e-mail code
//   t.steward(...args) run the steward CLI against the server's data directory (stdout)
//   t.api(method, path, body) call the JSON API with the admin key
//   t.assert(cond, message), t.equal(a, b, message)
// Every page is checked for Content-Security-Policy violations and page errors.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const shots = path.join(here, 'screenshots');
const docImages = path.join(repo, 'docs', 'img');

function fail(msg) {
  console.error(`error: ${msg}`);
  process.exit(2);
}

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function findChromium() {
  const c = process.env.CHROMIUM || which('chromium') || which('chromium-browser');
  if (!c) {
    fail('Chromium was not found (`which chromium` is empty).\n  help: apt-get install -y chromium, or set CHROMIUM=/path/to/chromium');
  }
  return c;
}

function findSteward() {
  if (process.env.STEWARD_BIN) return process.env.STEWARD_BIN;
  console.log('== cargo build -p steward');
  execFileSync('cargo', ['build', '-p', 'steward', '--quiet'], { cwd: repo, stdio: 'inherit' });
  const target = process.env.CARGO_TARGET_DIR || path.join(repo, 'target');
  return path.join(target, 'debug', 'steward');
}

async function loadPlaywright() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    fail('playwright-core is not installed.\n  help: (cd tests/browser && npm ci)');
  }
}

function startServer(bin, dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--log-format', 'text'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STEWARD_LOG: process.env.STEWARD_LOG || 'warn' },
    });
    let out = '';
    let key = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 120 s:\n${out}`)), 120_000);
    child.stdout.on('data', (b) => {
      out += b.toString();
      const k = out.match(/bootstrap admin API key[^:]*: (\S+)/);
      if (k) key = k[1];
      const m = out.match(/serving on (http:\/\/[0-9.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], key });
      }
    });
    const errLog = fs.createWriteStream(path.join(dataDir, 'server.log'));
    child.stderr.pipe(errLog);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${out}`));
    });
  });
}

class AssertionError extends Error {}

function newestCode(dataDir, email) {
  const dir = path.join(dataDir, 'outbox');
  if (!fs.existsSync(dir)) return null;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  for (const f of files.reverse()) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    if (!text.toLowerCase().includes(email.toLowerCase())) continue;
    const m = text.match(/code is (\d{6})/) || text.match(/\b(\d{6})\b/);
    if (m) return m[1];
  }
  return null;
}

async function main() {
  const filter = process.argv[2] || '';
  const chromiumPath = findChromium();
  const chromium = await loadPlaywright();
  const bin = findSteward();
  if (!fs.existsSync(bin)) fail(`no steward binary at ${bin}`);
  fs.mkdirSync(shots, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-browser-'));
  let server;
  let browser;
  let failed = 0;
  let passed = 0;
  try {
    server = await startServer(bin, dataDir);
    console.log(`== server ${server.base} (data ${dataDir})`);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: !process.env.HEADED,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    // The tour runs first: it sees the demo as a newcomer would, before other specs add to it.
    const specs = fs
      .readdirSync(here)
      .filter((f) => f.endsWith('.spec.mjs') && f.includes(filter))
      .sort((a, b) => (a === 'tour.spec.mjs' ? -1 : b === 'tour.spec.mjs' ? 1 : a.localeCompare(b)));
    if (specs.length === 0) fail(`no spec matches "${filter}"`);
    for (const spec of specs) {
      const mod = await import(pathToFileURL(path.join(here, spec)).href);
      const label = spec.replace(/\.spec\.mjs$/, '');
      for (const test of mod.tests || []) {
        const contexts = [];
        const problems = [];
        const t = {
          base: server.base,
          dataDir,
          adminKey: server.key,
          assert(cond, message) {
            if (!cond) throw new AssertionError(message);
          },
          equal(a, b, message) {
            if (a !== b) throw new AssertionError(`${message}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
          },
          async page(opts = {}) {
            const { gpc, region, ...rest } = opts;
            const headers = { ...(rest.extraHTTPHeaders || {}) };
            if (gpc) headers['Sec-GPC'] = '1';
            if (region) headers['X-Steward-Region'] = region;
            const ctx = await browser.newContext({ ...rest, extraHTTPHeaders: headers, acceptDownloads: true });
            if (gpc) {
              await ctx.addInitScript(() => {
                Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
              });
            }
            contexts.push(ctx);
            const page = await ctx.newPage();
            page.on('console', (m) => {
              const text = m.text();
              if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
            });
            page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
            return page;
          },
          async shot(page, name) {
            const file = path.join(shots, `${label}--${name}.png`);
            await page.screenshot({ path: file, fullPage: true });
            return file;
          },
          async doc(page, name) {
            fs.mkdirSync(docImages, { recursive: true });
            const file = path.join(docImages, `${name}.png`);
            await page.screenshot({ path: file, fullPage: false });
            return file;
          },
          async code(email) {
            for (let i = 0; i < 100; i++) {
              const c = newestCode(dataDir, email);
              if (c) return c;
              await new Promise((r) => setTimeout(r, 50));
            }
            throw new AssertionError(`no code e-mailed to ${email} in ${dataDir}/outbox`);
          },
          async signIn(page, email, next = '/privacy/my-data') {
            await page.goto(`${server.base}/privacy/sign-in?next=${encodeURIComponent(next)}`);
            await page.getByLabel('E-mail address').fill(email);
            const before = newestCode(dataDir, email);
            await page.getByRole('button', { name: 'Send me a code' }).click();
            await page.waitForURL('**/privacy/sign-in/code');
            let code = null;
            for (let i = 0; i < 100 && (!code || code === before); i++) {
              code = newestCode(dataDir, email);
              if (!code || code === before) await new Promise((r) => setTimeout(r, 50));
            }
            if (!code) throw new AssertionError(`no code for ${email}`);
            await page.getByLabel('Code').fill(code);
            await page.getByRole('button', { name: 'Sign in' }).click();
            await page.waitForURL((u) => u.pathname.startsWith(next));
            return code;
          },
          steward(...args) {
            return execFileSync(bin, [...args, '--data-dir', dataDir], {
              encoding: 'utf8',
              env: { ...process.env, STEWARD_LOG: 'error', NO_COLOR: '1' },
            });
          },
          async api(method, p, body) {
            const r = await fetch(`${server.base}${p}`, {
              method,
              headers: { Authorization: `Bearer ${server.key}`, 'Content-Type': 'application/json' },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            const text = await r.text();
            let json = null;
            try { json = JSON.parse(text); } catch { json = null; }
            return { status: r.status, json, text };
          },
        };
        const started = Date.now();
        try {
          await test.run(t);
          if (problems.length) throw new AssertionError(problems.join('\n'));
          passed++;
          console.log(`ok   ${label} › ${test.name} (${Date.now() - started} ms)`);
        } catch (e) {
          failed++;
          console.log(`FAIL ${label} › ${test.name}\n     ${(e && e.stack) || e}`);
          for (const ctx of contexts) {
            for (const p of ctx.pages()) {
              try {
                await p.screenshot({ path: path.join(shots, `${label}--${test.name.replace(/\W+/g, '-')}--FAILED.png`), fullPage: true });
              } catch { /* page gone */ }
            }
          }
        } finally {
          for (const ctx of contexts) await ctx.close().catch(() => {});
        }
      }
    }
  } catch (e) {
    failed++;
    console.error(`error: ${(e && e.stack) || e}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) {
      server.child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => { server.child.kill('SIGKILL'); r(); }, 10_000);
        server.child.on('exit', () => { clearTimeout(t); r(); });
      });
    }
    if (failed === 0 && !process.env.KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`== browser tests: ${passed} passed, ${failed} failed (screenshots in ${path.relative(repo, shots)}/)`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
