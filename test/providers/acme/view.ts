import { recordView } from '../../../src/provider';
import { widgets } from './tables';

/** How an Acme widget appears in events (`data.object`): its row of `acme_widgets`. */
export const widgetView = recordView('acme_widget', widgets, {
  description: 'An Acme widget: a row of `acme_widgets`.',
  example: {
    id: 7,
    provider: 'acme',
    externalId: 'w1',
    name: 'Sprocket',
    color: 'teal',
    revision: 3,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-06T19:00:52Z'),
  },
});
