import { defineSettings } from '../../src/provider';

/** Sources need no variables: each one is a row, created through the admin API. */
export const sourceSettings = defineSettings('sources', {
  env: {},
  exampleEnv: {},
  build: () => ({}),
  secrets: () => [],
});
