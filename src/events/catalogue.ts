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
    type: d.type,
    at: EXAMPLE_AT,
    object: exampleObject,
    source: { provider: from, inboundEventId: EXAMPLE_INBOUND_ID, receivedAt: EXAMPLE_AT.toISOString() },
    fields: d.fields?.example,
  });
  const schema = withoutFormatPatterns(z.toJSONSchema(body, { target: 'draft-2020-12', io: 'output' })) as Record<
    string,
    unknown
  >;
  return {
    entry: { type: d.type, description: d.description, provider, providers, recordKind: d.recordKind, schema, example },
    body,
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

const built = new WeakMap<EventTypeSources, Catalogue>();

/** The catalogue of every type these providers and Hookport itself can emit (built once per registry). */
export function catalogueOf(providers: EventTypeSources): Catalogue {
  const cached = built.get(providers);
  if (cached) return cached;
  const views = viewsOf(providers);
  const entries = new Map<string, CatalogueEntry>();
  const bodies = new Map<string, z.ZodObject>();
  for (const declared of [...declarations(providers).values()].sort((a, b) =>
    a.definition.type < b.definition.type ? -1 : 1,
  )) {
    const { entry, body } = entryOf(declared, views);
    entries.set(entry.type, entry);
    bodies.set(entry.type, body);
  }
  const catalogue: Catalogue = {
    entries: [...entries.values()],
    get: (type) => entries.get(type),
    bodySchemaOf: (type) => bodies.get(type),
    views,
  };
  built.set(providers, catalogue);
  return catalogue;
}
