import { renderOperational } from '../../src/deliveries/slack/operational';
import type { SlackEvent } from '../../src/deliveries/slack/render';
import { blocksProblem } from '../fakes/slack';

const SUBSCRIPTION = '3d9a7c1e-52b4-4f0e-8a6d-0c1b2e3f4a5b';

const failing = (over: Partial<SlackEvent> = {}): SlackEvent => ({
  type: 'hookport.delivery.failing',
  at: new Date('2026-12-06T19:00:52Z'),
  provider: 'hookport',
  recordKind: null,
  externalId: null,
  data: { reason: '6 of 8 deliveries attempted in the last 15 minutes failed <!channel>' },
  record: null,
  object: {
    id: SUBSCRIPTION,
    kind: 'webhook',
    url: 'https://crm.example.com/hooks?…',
    description: null,
    eventTypes: ['lead.*', '<!here>'],
    enabled: true,
    failingSince: '2026-12-06T18:40:00.000Z',
  },
  consoleUrl: 'https://hookport.example.com/admin',
  ...over,
});

const mrkdwn = (m: NonNullable<ReturnType<typeof renderOperational>>) =>
  m.blocks.flatMap((b) =>
    ('text' in b && b.text?.type === 'mrkdwn' ? [b.text.text] : [])
      .concat('fields' in b && b.fields ? b.fields.map((f) => f.text) : [])
      .concat('elements' in b ? b.elements.map((e) => (typeof e.text === 'string' ? e.text : e.text.text)) : []),
  );

describe('Slack messages for operational events', () => {
  it('hookport.delivery.failing: names the subscription by its URL, keeps the reason plain, links the console', () => {
    const m = renderOperational(failing())!;
    expect(blocksProblem(m.blocks)).toBeNull();
    expect(m.text).toBe('Deliveries failing for https://crm.example.com/hooks?…');
    const text = mrkdwn(m).join('\n');
    expect(text).toContain(
      `<https://hookport.example.com/admin/subscriptions/${SUBSCRIPTION}|Open in the Hookport console>`,
    );
    // Values are escaped: a mention in an event type cannot ping anyone.
    expect(text).toContain('`lead.*`, `&lt;!here&gt;`');
    expect(text).not.toContain('<!here>');
    // The reason is plain text, where nothing formats or mentions.
    expect(m.blocks).toContainEqual({
      type: 'section',
      text: {
        type: 'plain_text',
        text: '6 of 8 deliveries attempted in the last 15 minutes failed <!channel>',
        emoji: false,
      },
    });
  });

  it('without PUBLIC_BASE_URL there is no link; a missing object leaves fields out rather than failing', () => {
    const m = renderOperational(failing({ consoleUrl: null }))!;
    expect(mrkdwn(m).join('\n')).not.toContain('Open in the Hookport console');
    const bare = renderOperational(failing({ type: 'hookport.delivery.dead', object: null, data: null }))!;
    expect(blocksProblem(bare.blocks)).toBeNull();
    expect(bare.text).toBe('Delivery dead: an event to subscription (unknown)');
  });

  it('is null for any other type', () => {
    expect(renderOperational(failing({ type: 'lead.created' }))).toBeNull();
  });
});
