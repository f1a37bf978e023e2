import { z } from 'zod';
import { sharedRecordViews } from './shared-views';
import { bodySchema, eventBody, type EventBody } from './body';
import type { EventTypeDefinition } from './event-type';
import type { RecordView } from './record-view';
import { hookportEventTypes } from './shared-types';

/** What the catalogue reads of each provider (a EventTypeSources is one), keyed by provider name. */
export type EventTypeSources = Readonly<
  Record<
    string,
    {
      readonly eventTypes?: readonly EventTypeDefinition[];
      readonly recordViews?: Readonly<Record<string, RecordView>>;
    }
  >
>;

/** One type in the published catalogue (`GET /admin/api/event-types`). */
export interface CatalogueEntry {
  type: string;
  description: string;
  /** The provider that emits it; `hookport` for Hookport's own types and for types several providers emit. */
  provider: string;
  /** Every provider that emits it (empty for Hookport's own). */
  providers: string[];
  recordKind: string | null;
  /** JSON Schema (draft 2020-12) of the whole body a delivery carries. */
  schema: Record<string, unknown>;
  /** A whole body that validates against `schema`. */
  example: EventBody;
}

export interface Catalogue {
  /** Sorted by type. */
  entries: readonly CatalogueEntry[];
  get(type: string): CatalogueEntry | undefined;
  /** The zod schema of a type's body (what `schema` was emitted from). */
  bodySchemaOf(type: string): z.ZodObject | undefined;
  /** The record views by kind (shared and every provider's). */
  views: ReadonlyMap<string, RecordView>;
  /** Reads the run-time types (of instances managed at run time) again, where an answer must see a change made elsewhere. */
  refresh(): Promise<void>;
}

export const HOOKPORT = 'hookport';
const EXAMPLE_AT = new Date('2026-12-06T19:00:52.000Z');
const EXAMPLE_INBOUND_ID = '5f0c2a9e-8d1b-4c3e-9a7f-1b2c3d4e5f60';

interface Declared {
  definition: EventTypeDefinition;
  providers: string[];
}

/** A catalogue mistake is the code's (two kinds of one type, a type without its record kind): a plain Error. */
function declarations(providers: EventTypeSources): Map<string, Declared> {
  const declared = new Map<string, Declared>();
  const add = (definition: EventTypeDefinition, provider: string | null) => {
    const seen = declared.get(definition.type);
    if (seen && seen.definition.recordKind !== definition.recordKind) {
      throw new Error(
        `event type "${definition.type}" is declared with record kinds "${seen.definition.recordKind}" and "${definition.recordKind}"`,
      );
    }
    const entry = seen ?? { definition, providers: [] };
    if (provider && !entry.providers.includes(provider)) entry.providers.push(provider);
    declared.set(definition.type, entry);
  };
  for (const definition of hookportEventTypes) add(definition, null);
  for (const [name, provider] of Object.entries(providers))
    for (const definition of provider.eventTypes ?? []) add(definition, name);
  return declared;
}

function viewsOf(providers: EventTypeSources): Map<string, RecordView> {
  const views = new Map<string, RecordView>(Object.entries(sharedRecordViews));
  for (const provider of Object.values(providers)) {
    for (const [kind, view] of Object.entries(provider.recordViews ?? {})) views.set(kind, view);
  }
  return views;
}

function entryOf(
  { definition: d, providers }: Declared,
  views: ReadonlyMap<string, RecordView>,
): { entry: CatalogueEntry; body: z.ZodObject } {
  const view = d.recordKind ? views.get(d.recordKind) : undefined;
  if (d.recordKind && !view) throw new Error(`event type "${d.type}": no record view for kind "${d.recordKind}"`);
  const object = view ? { schema: view.schema, example: view.example } : d.object;
  if (!object) throw new Error(`event type "${d.type}" has neither a record kind nor an object schema`);
  const body = bodySchema({
    type: d.type,
    object: object.schema,
    previous: d.changesRecord ?? view !== undefined,
    fields: d.fields?.schema,
  }).describe(d.description);
  const provider = providers.length === 1 ? providers[0]! : HOOKPORT;
  const from = providers[0] ?? HOOKPORT;
  // A shared kind's example names no provider: it is shown as coming from one that emits the type.
  const exampleObject = Object.hasOwn(object.example, 'provider')
    ? { ...object.example, provider: from }
    : object.example;
  const example = eventBody({
    // A family's example is one of its types.
    type: isFamily(d.type) ? `${d.type.slice(0, -1)}received` : d.type,
    at: EXAMPLE_AT,
    object: exampleObject,
    source: { provider: from, inboundEventId: EXAMPLE_INBOUND_ID, receivedAt: EXAMPLE_AT.toISOString() },
    fields: d.fields?.example,
  });
  const schema = withObjectSchema(
    withoutFormatPatterns(z.toJSONSchema(body, { target: 'draft-2020-12', io: 'output' })) as Record<string, unknown>,
    d.objectJsonSchema,
  );
  return {
    entry: { type: d.type, description: d.description, provider, providers, recordKind: d.recordKind, schema, example },
    body,
  };
}

/** The body's schema with `data.object` replaced by an operator's own schema, when there is one. */
function withObjectSchema(schema: Record<string, unknown>, object: Record<string, unknown> | undefined) {
  if (!object) return schema;
  const properties = schema.properties as Record<string, { properties: Record<string, unknown> }>;
  const data = properties.data!;
  const { $schema: _ignored, ...own } = object;
  return {
    ...schema,
    properties: { ...properties, data: { ...data, properties: { ...data.properties, object: own } } },
  };
}

/** Formats whose meaning JSON Schema defines: zod's regex beside them says it again, unreadably. */
const FORMATS = new Set(['date-time', 'uuid']);

/** The schema without the `pattern` zod writes next to a standard `format`. */
function withoutFormatPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutFormatPatterns);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  const format = (node as { format?: unknown }).format;
  const drop = typeof format === 'string' && FORMATS.has(format) ? 'pattern' : undefined;
  return Object.fromEntries(
    entries.filter(([key]) => key !== drop).map(([key, value]) => [key, withoutFormatPatterns(value)]),
  );
}

const builtFor = new WeakMap<EventTypeSources, Catalogue>();

/** A family's type ends in `.*` (`source.github.*`): it stands for every type under that prefix. */
const isFamily = (type: string) => type.endsWith('.*');

/**
 * The entry for a type: its own, else the most specific family it belongs to (`source.github.push`
 * → `source.github.*`, else `source.*`).
 */
function lookup(entries: ReadonlyMap<string, CatalogueEntry>, type: string): CatalogueEntry | undefined {
  const own = entries.get(type);
  if (own) return own;
  const words = type.split('.');
  for (let n = words.length - (isFamily(type) ? 2 : 1); n >= 1; n--) {
    const family = entries.get(`${words.slice(0, n).join('.')}.*`);
    if (family) return family;
  }
  return undefined;
}

function built(declared: Iterable<Declared>, views: ReadonlyMap<string, RecordView>) {
  const entries = new Map<string, CatalogueEntry>();
  const bodies = new Map<string, z.ZodObject>();
  for (const d of [...declared].sort((a, b) => (a.definition.type < b.definition.type ? -1 : 1))) {
    const { entry, body } = entryOf(d, views);
    entries.set(entry.type, entry);
    bodies.set(entry.type, body);
  }
  return { entries, bodies };
}

/** The catalogue of every type these providers and Hookport itself can emit (built once per registry). */
export function catalogueOf(providers: EventTypeSources): Catalogue {
  const cached = builtFor.get(providers);
  if (cached) return cached;
  const views = viewsOf(providers);
  const { entries, bodies } = built(declarations(providers).values(), views);
  const catalogue: Catalogue = {
    entries: [...entries.values()],
    get: (type) => lookup(entries, type),
    bodySchemaOf: (type) => {
      const entry = lookup(entries, type);
      return entry ? bodies.get(entry.type) : undefined;
    },
    views,
    refresh: async () => {},
  };
  builtFor.set(providers, catalogue);
  return catalogue;
}

/** Where the instances' own types come from: each directory, and the provider it belongs to. */
export interface InstanceTypes {
  provider: string;
  current(): Promise<readonly { eventTypes: readonly EventTypeDefinition[] }[]>;
  last(): readonly { eventTypes: readonly EventTypeDefinition[] }[];
}

/**
 * The catalogue with the types of instances an operator manages at run time (a source's
 * `source.<name>.*`), as last read; `refresh()` reads them again first where freshness matters.
 */
export function liveCatalogue(providers: EventTypeSources, instances: readonly InstanceTypes[]): Catalogue {
  const fixed = catalogueOf(providers);
  if (instances.length === 0) return fixed;
  let seen: readonly unknown[] = [];
  let merged = {
    entries: new Map<string, CatalogueEntry>(),
    bodies: new Map<string, z.ZodObject>(),
    list: fixed.entries,
  };
  const now = () => {
    const lists = instances.map((i) => i.last());
    if (lists.length !== seen.length || lists.some((l, i) => l !== seen[i])) {
      seen = lists;
      const declared = lists.flatMap((list, i) =>
        list.flatMap((instance) =>
          instance.eventTypes.map((definition) => ({ definition, providers: [instances[i]!.provider] })),
        ),
      );
      const own = built(declared, fixed.views);
      const entries = new Map([...fixed.entries.map((e) => [e.type, e] as const), ...own.entries]);
      merged = {
        entries,
        bodies: own.bodies,
        list: [...entries.values()].sort((a, b) => (a.type < b.type ? -1 : 1)),
      };
    }
    return merged;
  };
  return {
    get entries() {
      return now().list;
    },
    get: (type) => lookup(now().entries, type),
    bodySchemaOf: (type) => {
      const entry = lookup(now().entries, type);
      return entry ? (now().bodies.get(entry.type) ?? fixed.bodySchemaOf(entry.type)) : undefined;
    },
    views: fixed.views,
    refresh: async () => {
      await Promise.all(instances.map((i) => i.current()));
    },
  };
}
