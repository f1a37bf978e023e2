import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** Validators of event bodies against the catalogue's JSON Schemas (draft 2020-12), compiled once per type. */
export class BodySchemas {
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly schemas: ReadonlyMap<string, Record<string, unknown>>) {}

  /** The problems of a body against its type's schema; [] when it validates. */
  problems(type: string, body: unknown): string[] {
    let validate = this.compiled.get(type);
    if (!validate) {
      const schema = this.schemas.get(type);
      if (!schema) return [`no schema for type ${type} in the catalogue`];
      validate = this.ajv.compile(schema);
      this.compiled.set(type, validate);
    }
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${type}${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/** The validators of the catalogue an admin API serves (`GET /admin/api/event-types`'s `eventTypes`). */
export const servedBodySchemas = (eventTypes: readonly { type: string; schema: Record<string, unknown> }[]) =>
  new BodySchemas(new Map(eventTypes.map((e) => [e.type, e.schema])));
