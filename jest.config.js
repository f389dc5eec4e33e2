const path = require('node:path');
const ts = require('typescript');

/**
 * The `@cp/*` aliases, from tsconfig.json's `paths` (the one place they are written; scripts/build.ts
 * and @swc-node/register read them there too): `@cp/bus` → libs/bus/src, `@cp/domain/*` → libs/domain/*.
 */
function moduleNameMapperFromTsconfig() {
  const file = path.join(__dirname, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const { baseUrl = '.', paths = {} } = config.compilerOptions ?? {};
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return Object.fromEntries(Object.entries(paths).map(([key, [target]]) => {
    const to = `<rootDir>/${path.posix.join(baseUrl, target)}`;
    return key.endsWith('*')
      ? [`^${escape(key.slice(0, -1))}(.*)$`, to.replace(/\*$/, '$1')]
      : [`^${escape(key)}$`, to];
  }));
}
const moduleNameMapper = moduleNameMapperFromTsconfig();
/** The compiler settings of .swcrc, their one place (scripts/build.ts compiles dist/ with them too). */
const { $schema: _schema, ...swcrc } = JSON.parse(require('node:fs').readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const transform = { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] };
const project = (displayName, testMatch, extra = {}) => ({
  displayName, testMatch, transform, moduleNameMapper, rootDir: __dirname,
  testEnvironment: 'node', ...extra,
});
const withAppLogs = {
  testEnvironment: '<rootDir>/test/support/log-environment.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/log-to-file.ts'],
};
module.exports = {
  projects: [
    project('unit', ['<rootDir>/{apps,libs,scripts}/**/*.unit.spec.ts']),
    // The apps' log lines to a file per test file, printed for a failing test only (test/support/log-environment.js).
    project('int', ['<rootDir>/{apps,libs}/**/*.int.spec.ts'], withAppLogs),
    project('e2e', ['<rootDir>/{apps,libs,test}/**/*.e2e.spec.ts'], withAppLogs),
    // `npm run test:cluster`: npm start:cluster's topology and what must hold across replicas and failures (one stack per file).
    project('cluster', ['<rootDir>/test/cluster/**/*.cluster.spec.ts'], withAppLogs),
    // `npm run test:console`: the operator console in a headless Chromium against a stack (test/console/harness.ts; not in npm test).
    project('console', ['<rootDir>/test/console/**/*.console.spec.ts'], withAppLogs),
  ],
  testTimeout: 60000,
};
