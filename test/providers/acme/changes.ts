import type { Described } from '../../../src/provider';
import type { widgets } from './tables';

/** A widget as Acme reported it; absent fields keep what the row already has. */
export type WidgetChange = { kind: 'acme_widget' } & Described<typeof widgets>;

declare module '../../../src/provider' {
  interface RecordChanges {
    acme_widget: WidgetChange;
  }
}
