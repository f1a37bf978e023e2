import type { ProviderRegistry } from '../../contract/provider';

/** A provider as a person reads it in a message: its name, and what its messages travel by. */
export interface ProviderLabel {
  label: string;
  channel: string;
}

export type ProviderLabels = Readonly<Record<string, ProviderLabel>>;

/** Each registered provider's label, from what it declares (the core names none). */
export function providerLabels(providers: ProviderRegistry): ProviderLabels {
  return Object.fromEntries(
    Object.values(providers).map((p) => {
      const label = p.label ?? p.name;
      return [p.name, { label, channel: p.messageChannel ?? label }];
    }),
  );
}
