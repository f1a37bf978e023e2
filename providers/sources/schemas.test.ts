import { createSourceBodySchema, SCHEMA_MAX_BYTES, updateSourceBodySchema } from './schemas';

const verification = { type: 'bearer', token: 'a-token-of-sixteen-or-more' };
const schemaOf = (bytes: number) => ({ description: 'x'.repeat(bytes - '{"description":""}'.length) });

describe("a source's JSON Schema", () => {
  it('is at most 64 KiB of JSON, whichever route (or form) it came through', () => {
    expect(JSON.stringify(schemaOf(SCHEMA_MAX_BYTES))).toHaveLength(SCHEMA_MAX_BYTES);
    expect(
      createSourceBodySchema.safeParse({ name: 'a', verification, schema: schemaOf(SCHEMA_MAX_BYTES) }).success,
    ).toBe(true);
    const over = createSourceBodySchema.safeParse({ name: 'a', verification, schema: schemaOf(SCHEMA_MAX_BYTES + 1) });
    expect(over.error?.issues.map((i) => i.message)).toEqual(['a schema is at most 64 KiB of JSON']);
    expect(updateSourceBodySchema.safeParse({ schema: schemaOf(SCHEMA_MAX_BYTES + 1) }).success).toBe(false);
  });

  it('counts bytes, not characters', () => {
    const wide = { d: 'é'.repeat(SCHEMA_MAX_BYTES / 2) };
    expect(JSON.stringify(wide).length).toBeLessThan(SCHEMA_MAX_BYTES);
    expect(updateSourceBodySchema.safeParse({ schema: wide }).success).toBe(false);
  });
});
