import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Provider unit tests sit beside their provider (providers/<name>/*.test.ts).
  roots: ['<rootDir>/test', '<rootDir>/providers'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // Marks the log capture with the running test, so a leaked secret is reported with its test.
  setupFilesAfterEnv: ['<rootDir>/test/helpers/log-capture-setup.ts'],
  testTimeout: 30_000,
  maxWorkers: 2,
  // tsconfig's isolatedModules: ts-jest transpiles each file on its own (npm test type-checks first
  // with tsc); its per-worker type checker kept jest's workers from exiting.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

export default config;
