/**
 * Webpack: bundles src/entry.ts into dist/Code.js for the Apps Script V8 runtime.
 * esbuild-loader strips TypeScript; gas-webpack-plugin turns the named exports of src/entry.ts
 * into top-level `function` declarations, which is what Apps Script (menus, triggers,
 * google.script.run) can call by name.
 */
const path = require('path');
const GasPlugin = require('gas-webpack-plugin');

module.exports = {
  mode: 'production',
  context: __dirname,
  entry: './src/entry.ts',
  devtool: false,
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: 'Code.js',
    // Apps Script has no `window` or `self`; the plugin's stubs live on the global object.
    globalObject: 'this',
    environment: { arrowFunction: true, const: true, destructuring: true },
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      {
        test: /\.[tj]s$/,
        loader: 'esbuild-loader',
        options: { loader: 'ts', target: 'es2020' },
      },
    ],
  },
  // Readable output: the bundle is what runs in the Apps Script editor and its stack traces.
  optimization: { minimize: false, concatenateModules: false, usedExports: false },
  performance: { hints: false },
  plugins: [new GasPlugin({ autoGlobalExportsFiles: ['src/entry.ts'], comment: true })],
};
