import { esc, fit, LIMITS, quote, value, when } from '../../src/deliveries/slack/mrkdwn';
import {
  amountText,
  bounceReason,
  locationText,
  renderSlackMessage,
  renderTest,
  type SlackEvent,
} from '../../src/deliveries/slack/render';
import { SLACK_ACTIONS } from '../../src/deliveries/slack/actions';
import { slackUrlNotAllowed } from '../../src/deliveries/url-check';
import { blocksProblem } from '../fakes/slack';

const event = (over: Partial<SlackEvent>): SlackEvent => ({
  type: 'lead.created',
  at: new Date('2026-09-15T04:02:24Z'),
  provider: 'thumbtack',
  source: { label: 'Thumbtack', channel: 'Thumbtack' }, // as the registry declares it (the runtime passes these)
  recordKind: 'lead',
  externalId: '590299344770662410',
  data: null,
  record: null,
  ...over,
});
const texts = (m: ReturnType<typeof renderSlackMessage>) =>
  m.blocks.flatMap((b) =>
    ('text' in b && b.text ? [b.text.text] : [])
      .concat('fields' in b && b.fields ? b.fields.map((f) => f.text) : [])
      .concat('elements' in b ? b.elements.map((e) => (typeof e.text === 'string' ? e.text : e.text.text)) : []),
  );

describe('Slack mrkdwn', () => {
  it('escapes &, < and > (and only those), & first', () => {
    expect(esc('a & b <@U1> <!here> <https://x|y> &amp;')).toBe(
      'a &amp; b &lt;@U1&gt; &lt;!here&gt; &lt;https://x|y&gt; &amp;amp;',
    );
    expect(esc('*bold* _it_ `code`')).toBe('*bold* _it_ `code`');
    expect(esc(null)).toBe('');
  });

  it('cuts to the limit with an ellipsis, never inside an entity or a surrogate pair', () => {
    expect(fit('short', 10)).toBe('short');
    expect(fit('abcdefghij', 5)).toBe('abcd…');
    const escaped = esc('x'.repeat(2997) + '&&&');
    const cut = fit(escaped, LIMITS.sectionText);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toMatch(/(x|&amp;)…$/);
    for (let n = 1; n < 40; n++) {
      const out = fit(esc('ab<&>'.repeat(3)), n);
      expect(out.length).toBeLessThanOrEqual(n);
      expect(out.replace(/…$/, '')).not.toMatch(/&[a-z]*$/);
    }
    expect(fit('ab😀cd', 4)).toBe('ab…');
  });

  it('value() makes one escaped line; quote() prefixes every line', () => {
    expect(value('  Dana\n  <Reyes>  ')).toBe('Dana &lt;Reyes&gt;');
    expect(quote('one\ntwo & three')).toBe('>one\n>two &amp; three');
    expect(quote('y'.repeat(10_000)).length).toBeLessThanOrEqual(2802);
  });

  it('when() is a Slack date token with the ISO time as fallback', () => {
    expect(when(new Date('2026-09-15T04:02:24Z'))).toBe(
      '<!date^1789444944^{date_short_pretty} at {time}|2026-09-15T04:02:24Z>',
    );
    expect(when(null)).toBeNull();
  });
});

describe('Slack messages', () => {
  it('customer text can neither mention, link nor format: plain_text where free, escaped mrkdwn elsewhere', () => {
    const hostile = '<!channel> <http://evil|bank> *bold* &lt;';
    const m = renderSlackMessage(
      event({
        type: 'message.received',
        provider: 'twilio',
        recordKind: 'message',
        record: { senderName: hostile, fromAddress: '+14155550100', body: hostile },
      }),
    );
    const objects = m.blocks.flatMap((b) =>
      ('text' in b && b.text ? [b.text] : []).concat('fields' in b && b.fields ? b.fields : []),
    );
    // The body, free text, is a plain_text object: Slack shows it literally, formatting included.
    expect(objects).toContainEqual({ type: 'plain_text', text: hostile, emoji: false });
    // In mrkdwn (the sender's field), the control characters are entities: no mention, no link.
    const mrkdwn = objects.filter((o) => o.type === 'mrkdwn').map((o) => o.text);
    expect(mrkdwn).toContain('*From*\n&lt;!channel&gt; &lt;http://evil|bank&gt; *bold* &amp;lt;');
    for (const text of [...mrkdwn, m.text]) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<http://evil');
    }
    expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('a lead: customer, category, location, when, and the request quoted', () => {
    const m = renderSlackMessage(
      event({
        record: {
          customerName: 'Dana <Reyes>',
          category: 'Junk & Removal',
          location: { address1: '123 Main St', city: 'Lake Worth', state: 'FL', zipCode: '33460' },
          description: 'A sectional',
          leadCreatedAt: '2026-09-15T04:02:24Z',
        },
      }),
    );
    expect(m.text).toBe('New lead from Dana &lt;Reyes&gt;: Junk &amp; Removal in 123 Main St, Lake Worth, FL 33460');
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'New lead', emoji: true } });
    expect(texts(m)).toEqual(
      expect.arrayContaining([
        '*Customer*\nDana &lt;Reyes&gt;',
        '*Category*\nJunk &amp; Removal',
        '*Location*\n123 Main St, Lake Worth, FL 33460',
        expect.stringMatching(/^\*When\*\n<!date\^1789444944\^/),
        'A sectional',
        'Thumbtack · `lead.created` · lead `590299344770662410`',
      ]),
    );
    expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('a lead with nothing but ids still makes a valid message', () => {
    const m = renderSlackMessage(event({ record: null }));
    expect(m.text).toBe('New lead');
    expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('an invoice paid: from the record, or from the event data when the record is gone', () => {
    const full = renderSlackMessage(
      event({
        type: 'invoice.paid',
        provider: 'jobber',
        recordKind: 'invoice',
        record: { invoiceNumber: '7', total: 99, amountPaid: 1234567.891, clientName: 'A&B' },
      }),
    );
    expect(full.text).toBe('Invoice #7 paid: 1,234,567.89 by A&amp;B');
    const bare = renderSlackMessage(
      event({
        type: 'invoice.paid',
        provider: 'jobber',
        recordKind: 'invoice',
        data: { invoiceNumber: '8', total: 10 },
      }),
    );
    expect(bare.text).toBe('Invoice #8 paid: 10.00');
    expect(blocksProblem(full.blocks)).toBeNull();
    expect(blocksProblem(bare.blocks)).toBeNull();
  });

  it('an inbound message: a very long text is cut to fit a section, the fallback to 3000', () => {
    const m = renderSlackMessage(
      event({
        type: 'message.received',
        provider: 'twilio',
        recordKind: 'message',
        record: { fromAddress: '+1415', body: '<'.repeat(20_000), mediaCount: 2 },
      }),
    );
    expect(m.text.length).toBeLessThanOrEqual(3000);
    for (const t of texts(m)) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts(m)).toContain('2 attachments');
    expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('a bounce gives its reason; a complaint says it was marked as spam', () => {
    expect(
      bounceReason({ message: 'Rejected', type: 'Permanent', subType: 'General', diagnosticCode: ['smtp; 550 <x>'] }),
    ).toBe('Rejected (Permanent / General) smtp; 550 <x>');
    const bounced = renderSlackMessage(
      event({
        type: 'email.bounced',
        provider: 'resend',
        recordKind: 'email',
        record: { toAddresses: ['a@x.com', 'b@x.com'], bounce: { message: '<no>' } },
      }),
    );
    expect(bounced.text).toBe('Email bounced: a@x.com, b@x.com (&lt;no&gt;)');
    const complained = renderSlackMessage(
      event({
        type: 'email.complained',
        provider: 'resend',
        recordKind: 'email',
        record: { toAddresses: ['a@x.com'] },
      }),
    );
    expect(complained.text).toBe('Email marked as spam: a@x.com (The recipient marked it as spam.)');
    expect(blocksProblem(bounced.blocks)).toBeNull();
    expect(blocksProblem(complained.blocks)).toBeNull();
  });

  it('a suppression says who must not be messaged and why; a lift says they may be again', () => {
    const data = {
      channel: 'sms',
      address: '+14155550100',
      reason: 'opted_out',
      since: '2026-09-15T04:02:24Z',
      detail: 'STOP',
    };
    const base = { provider: 'twilio', recordKind: 'suppression', externalId: 'sms:+14155550100' };
    const suppressed = renderSlackMessage(event({ ...base, type: 'contact.suppressed', data }));
    expect(suppressed.text).toBe('Do not message: +14155550100 opted out (STOP)');
    const lifted = renderSlackMessage(
      event({ ...base, type: 'contact.unsuppressed', data: { ...data, liftedAt: '2026-09-16T00:00:00Z' } }),
    );
    expect(lifted.text).toBe('May be messaged again: +14155550100 opted in again');
    const bounce = renderSlackMessage(
      event({
        type: 'contact.suppressed',
        provider: 'resend',
        recordKind: 'suppression',
        data: { channel: 'email', address: 'a@x.com', reason: 'bounced', detail: '<550>' },
      }),
    );
    expect(bounce.text).toBe('Do not message: a@x.com bounced for good (&lt;550&gt;)');
    for (const m of [suppressed, lifted, bounce]) expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('any other type: generic, with its type, time and record', () => {
    const m = renderSlackMessage(
      event({ type: 'job.updated', provider: 'jobber', recordKind: 'job', externalId: 'j<1>' }),
    );
    expect(m.text).toBe('Hookport event job.updated for job j&lt;1&gt;');
    const none = renderSlackMessage(
      event({ type: 'resend.contact.created', provider: 'resend', recordKind: null, externalId: null, at: null }),
    );
    expect(none.text).toBe('Hookport event resend.contact.created');
    expect(blocksProblem(m.blocks)).toBeNull();
    expect(blocksProblem(none.blocks)).toBeNull();
  });

  it('the test message', () => {
    const m = renderTest('0b6a7a52-1a4b-4a40-9b0e-6f1b0c6b7e10', new Date());
    expect(m.text).toBe('Hookport test message: this Slack destination works.');
    expect(blocksProblem(m.blocks)).toBeNull();
  });

  it('helpers', () => {
    expect(locationText('Austin, TX')).toBe('Austin, TX');
    expect(locationText({ city: 'Austin', state: 'TX' })).toBe('Austin, TX');
    expect(locationText({})).toBeNull();
    expect(amountText(Number.NaN)).toBeNull();
  });
});

describe('Slack buttons', () => {
  const answered = new Set(Object.values(SLACK_ACTIONS));
  const buttonsOf = (m: ReturnType<typeof renderSlackMessage>) =>
    m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => [e.text.text, e.action_id, e.value]) : []));

  it('a lead carries "Show lead" with its id, an invoice paid "Show client" and "Show invoice"', () => {
    const lead = renderSlackMessage(event({ actions: answered }));
    expect(buttonsOf(lead)).toEqual([['Show lead', 'hookport.lead', '590299344770662410']]);
    const invoice = renderSlackMessage(
      event({
        type: 'invoice.paid',
        provider: 'jobber',
        recordKind: 'invoice',
        externalId: 'Z2lkOi8vSm9iYmVyL0ludm9pY2UvNw==',
        record: { invoiceNumber: '7', clientExternalId: 'Z2lkOi8vSm9iYmVyL0NsaWVudC8x' },
        actions: answered,
      }),
    );
    expect(buttonsOf(invoice)).toEqual([
      ['Show client', 'hookport.client', 'Z2lkOi8vSm9iYmVyL0NsaWVudC8x'],
      ['Show invoice', 'hookport.invoice', 'Z2lkOi8vSm9iYmVyL0ludm9pY2UvNw=='],
    ]);
    expect(blocksProblem(lead.blocks)).toBeNull();
    expect(blocksProblem(invoice.blocks)).toBeNull();
  });

  it('carries none while nobody answers their clicks, and none without an id', () => {
    expect(buttonsOf(renderSlackMessage(event({})))).toEqual([]);
    expect(buttonsOf(renderSlackMessage(event({ externalId: null, actions: answered })))).toEqual([]);
    const onlyLeads = renderSlackMessage(
      event({
        type: 'invoice.paid',
        recordKind: 'invoice',
        record: { clientExternalId: 'c1' },
        actions: new Set([SLACK_ACTIONS.lead]),
      }),
    );
    expect(buttonsOf(onlyLeads)).toEqual([]);
  });
});

describe('Slack URLs', () => {
  it('must be https, http only with DELIVERY_ALLOW_PRIVATE_NETWORKS; any https host', () => {
    expect(slackUrlNotAllowed('https://hooks.slack.com/services/T/B/x', false)).toBeNull();
    expect(slackUrlNotAllowed('https://hooks.slack-gov.com/services/T/B/x', false)).toBeNull();
    expect(slackUrlNotAllowed('http://hooks.slack.com/services/T/B/x', false)).toMatch(/https/);
    expect(slackUrlNotAllowed('http://127.0.0.1:9/services/T/B/x', true)).toBeNull();
    expect(slackUrlNotAllowed('not a url', false)).toBe('not a URL');
  });
});
