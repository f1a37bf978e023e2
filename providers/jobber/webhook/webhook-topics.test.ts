import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LATER_WEBHOOK_TOPICS, WEBHOOK_TOPICS } from './webhook-topics';
import { FIXTURES } from '../../../test/helpers/fixtures';

type Introspection = { data: { __schema: { types: { name: string; enumValues?: { name: string }[] | null }[] } } };

/** WebHookTopicEnum's values in Jobber's GraphQL schema (the fixture the queries are checked against). */
function schemaTopics(): string[] {
  const introspection = JSON.parse(
    gunzipSync(readFileSync(join(FIXTURES, 'jobber', 'graphql-schema.json.gz'))).toString('utf8'),
  ) as Introspection;
  const topics = introspection.data.__schema.types.find((t) => t.name === 'WebHookTopicEnum');
  return (topics?.enumValues ?? []).map((v) => v.name);
}

describe("Jobber's webhook topics", () => {
  it("are WebHookTopicEnum's values, exactly", () => {
    expect([...WEBHOOK_TOPICS].sort()).toEqual(schemaTopics().sort());
  });

  it('list the later topics once, none of them already in the schema', () => {
    expect(new Set(LATER_WEBHOOK_TOPICS).size).toBe(LATER_WEBHOOK_TOPICS.length);
    expect(LATER_WEBHOOK_TOPICS.filter((t) => schemaTopics().includes(t))).toEqual([]);
  });
});
