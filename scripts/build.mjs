// Builds dist/: runs webpack (through its Node API: webpack-cli 7 needs Node 22) and copies the
// manifest and the HTML pages beside Code.js, which is all that clasp pushes.
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const webpack = require('webpack');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const stats = await new Promise((resolve, reject) =>
  webpack(require(join(root, 'webpack.config.cjs')), (err, result) => (err ? reject(err) : resolve(result))),
);
if (stats.hasErrors()) {
  console.error(stats.toString({ all: false, errors: true, colors: true }));
  process.exit(1);
}

copyFileSync(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));
const uiDir = join(root, 'src', 'ui');
for (const file of readdirSync(uiDir).filter((f) => f.endsWith('.html'))) {
  copyFileSync(join(uiDir, file), join(dist, file));
}
// The sidebars' shared script (src/ui/client.ts), bundled for the browser and wrapped as an HTML
// file, so that a page includes it with <?!= include_('_client') ?> (Apps Script serves no .js).
const { buildSync } = require('esbuild');
const client = buildSync({ entryPoints: [join(uiDir, 'client.ts')], bundle: true, format: 'iife', target: 'es2019', write: false, charset: 'utf8' });
const clientJs = client.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
writeFileSync(join(dist, '_client.html'), `<script>\n${clientJs}</script>\n`);
console.log(`built ${join('dist', 'Code.js')} (${Math.round(stats.toJson({ assets: true }).assets[0].size / 1024)} KiB)`);
