/** Jest: tests under test/ (and the emulator's own under emulator/test), TypeScript through esbuild. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/emulator'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.[tj]s$': '<rootDir>/scripts/jest-esbuild.cjs' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Every core (jest's default leaves one idle: on CI's two cores, one worker and twice the time).
  maxWorkers: '100%',
};
