/**
 * `npm run push` and `npm run deploy` (scripts/push.mjs, scripts/deploy.mjs) against clasp's own
 * command definitions (the installed @google/clasp build) and a fake clasp binary: no Google
 * account. The fake answers with clasp's real messages, which this test also finds in clasp's source.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLASP = join(ROOT, 'node_modules', '@google', 'clasp', 'build', 'src');
const FAKE = join(__dirname, 'fake-clasp.cjs');

interface ClaspCommand {
  name: string;
  aliases: string[];
  options: string[];
}

/** clasp's commands and options, from its own program (commander) definition. */
function claspDefinitions(): { global: string[]; commands: ClaspCommand[] } {
  const code = `
import { makeProgram } from ${JSON.stringify(join(CLASP, 'commands', 'program.js'))};
const p = makeProgram();
const opts = (c) => c.options.flatMap((o) => [o.short, o.long].filter(Boolean));
console.log(JSON.stringify({ global: opts(p), commands: p.commands.map((c) => ({ name: c.name(), aliases: c.aliases(), options: opts(c) })) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }));
}

const defs = claspDefinitions();

/** Throws unless `args` (a clasp command line without `clasp`) names a command and only options it has. */
function assertValid(args: string[]): void {
  const command = defs.commands.find((c) => c.name === args[0] || c.aliases.includes(args[0]));
  if (!command) throw new Error(`clasp has no command ${args[0]}`);
  for (const a of args.slice(1).filter((x) => x.startsWith('-'))) {
    const flag = a.split('=')[0];
    if (!command.options.includes(flag) && !defs.global.includes(flag)) throw new Error(`clasp ${command.name} has no option ${flag}`);
  }
}

function source(file: string): string {
  return readFileSync(join(CLASP, file), 'utf8');
}

// What clasp 3 prints (the messages are in its source: checked below).
const PUSHED = 'Pushed 4 files at 10:00:00.\n└─ dist/Code.js\n';
const SKIPPED = 'Skipping push.\n';
const UP_TO_DATE = 'Script is already up to date.\n';
const deployed = (id: string, v = 7) => `Deployed ${id} @${v}\n`;

interface Run {
  status: number;
  output: string;
  calls: string[][];
  dir: string;
}

function run(script: 'push' | 'deploy', answers: Record<string, { out: string; status?: number }>, opts: { args?: string[]; env?: Record<string, string>; deployment?: string } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'clasp-'));
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const file = join(dir, 'deployment.json');
  if (opts.deployment !== undefined) writeFileSync(file, JSON.stringify({ deploymentId: opts.deployment }));
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts', `${script}.mjs`), ...(opts.args ?? [])], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      CLASP_BIN: FAKE,
      FAKE_CLASP_LOG: log,
      FAKE_CLASP_SCRIPT: JSON.stringify(Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, { out: v.out, status: v.status ?? 0 }]))),
      DEPLOYMENT_FILE: file,
      ...opts.env,
    },
  });
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);
  return { status: res.status ?? -1, output: `${res.stdout}${res.stderr}`, calls, dir };
}

describe("clasp's own definitions", () => {
  test('the messages the scripts read are the ones clasp prints', () => {
    expect(source('commands/push.js')).toContain('"Skipping push."');
    expect(source('commands/push.js')).toContain('"Script is already up to date."');
    expect(source('commands/push.js')).toMatch(/"Pushed "[\s\S]*"no files"[\s\S]*" files"/);
    expect(source('commands/create-deployment.js')).toMatch(/"Deployed "[\s\S]*"@"/);
    // Without a deployment id clasp creates a deployment (a new /exec URL); with one it updates it.
    expect(source('core/project.js')).toMatch(/if \(!deploymentId\)[\s\S]*deployments\.create[\s\S]*deployments\.update/);
  });

  test('a flag clasp lacks is caught (the check can fail)', () => {
    expect(() => assertValid(['push', '--forse'])).toThrow('no option --forse');
    expect(() => assertValid(['deploi'])).toThrow('no command');
  });

  test("the README's clasp command lines exist in clasp", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const lines = [...readme.matchAll(/`(?:npx )?clasp ([^`]+)`/g)].map((m) => m[1].split(/\s+/).filter((w) => !/^["<…]/.test(w)));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    lines.forEach(assertValid);
  });
});

describe('npm run push', () => {
  test('pushes with --force, an option of clasp push, and succeeds when clasp pushed', () => {
    const r = run('push', { push: { out: PUSHED } });
    expect(r.calls).toEqual([['push', '--force']]);
    r.calls.forEach(assertValid);
    expect(r.status).toBe(0);
  });

  test('fails when clasp skips the push, even with exit code 0', () => {
    const r = run('push', { push: { out: SKIPPED } });
    expect(r.status).toBe(1);
    expect(r.output).toContain('Skipping push.');
    expect(r.output).toContain('FAILED');
  });

  test('fails when clasp pushed no files, printed nothing, or exited non-zero', () => {
    expect(run('push', { push: { out: 'Pushed no files at 10:00:00.\n' } }).status).toBe(1);
    expect(run('push', { push: { out: '' } }).status).toBe(1);
    expect(run('push', { push: { out: PUSHED, status: 1 } }).status).toBe(1);
  });

  test('succeeds when the remote project already equals dist/', () => {
    expect(run('push', { push: { out: UP_TO_DATE } }).status).toBe(0);
  });
});

describe('npm run deploy', () => {
  test('updates the kept deployment from deployment.json with -i, after a push', () => {
    const r = run('deploy', { push: { out: PUSHED }, deploy: { out: deployed('AKfyKEPT') } }, { deployment: 'AKfyKEPT' });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([['push', '--force'], ['deploy', '-i', 'AKfyKEPT', '-d', 'npm run deploy']]);
    r.calls.forEach(assertValid);
    expect(r.output).toContain('https://script.google.com/macros/s/AKfyKEPT/exec');
  });

  test('WEBAPP_DEPLOYMENT_ID wins over the file', () => {
    const r = run('deploy', { push: { out: PUSHED }, deploy: { out: deployed('AKfyENV') } }, { deployment: 'AKfyFILE', env: { WEBAPP_DEPLOYMENT_ID: 'AKfyENV' } });
    expect(r.status).toBe(0);
    expect(r.calls[1]).toEqual(['deploy', '-i', 'AKfyENV', '-d', 'npm run deploy']);
  });

  test('refuses to create a deployment unless asked, and then never calls clasp', () => {
    const r = run('deploy', { push: { out: PUSHED }, deploy: { out: deployed('AKfyNEW') } }, { deployment: '' });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.output).toContain('--create');
  });

  test('--create (first time) creates one deployment and keeps its id', () => {
    const r = run('deploy', { push: { out: PUSHED }, deploy: { out: deployed('AKfyNEW', 1) } }, { args: ['--create'] });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([['push', '--force'], ['deploy', '-d', 'npm run deploy']]);
    r.calls.forEach(assertValid);
    expect(JSON.parse(readFileSync(join(r.dir, 'deployment.json'), 'utf8'))).toEqual({ deploymentId: 'AKfyNEW' });
    expect(r.output).toContain('WEBAPP_URL');
  });

  test('--create with a kept deployment is refused', () => {
    const r = run('deploy', { push: { out: PUSHED } }, { args: ['--create'], deployment: 'AKfyKEPT' });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual([]);
  });

  test('does not deploy when the push was skipped', () => {
    const r = run('deploy', { push: { out: SKIPPED }, deploy: { out: deployed('AKfyKEPT') } }, { deployment: 'AKfyKEPT' });
    expect(r.status).toBe(1);
    expect(r.calls).toEqual([['push', '--force']]);
  });

  test('fails when clasp answers another deployment or none', () => {
    expect(run('deploy', { push: { out: PUSHED }, deploy: { out: deployed('AKfyOTHER') } }, { deployment: 'AKfyKEPT' }).status).toBe(1);
    const r = run('deploy', { push: { out: PUSHED }, deploy: { out: 'Error: quota', status: 1 } }, { deployment: 'AKfyKEPT' });
    expect(r.status).toBe(1);
    expect(existsSync(join(r.dir, 'deployment.json'))).toBe(true);
  });
});
