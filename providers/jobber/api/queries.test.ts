import { ALL_QUERIES } from './queries';
import { validateJobberQuery } from '../../../test/fakes/jobber-schema';

describe('Jobber GraphQL queries', () => {
  it.each(Object.entries(ALL_QUERIES))("%s query is valid against Jobber's schema", (_name, query) => {
    expect(validateJobberQuery(query).map((e) => e.message)).toEqual([]);
  });

  it('the validator does reject a field Jobber does not have', () => {
    const errors = validateJobberQuery('query { client(id: "MQ==") { id nickname } }');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('Cannot query field "nickname"')]);
  });

  it('the validator rejects a syntax error', () => {
    expect(validateJobberQuery('query { client(id: ').length).toBeGreaterThan(0);
  });
});
