import { FakeSlack } from '../fakes/slack';

/** The fake speaks Slack's incoming-webhook protocol: what the Slack delivery tests rely on. */
describe('the fake Slack incoming webhook', () => {
  const slack = new FakeSlack();
  beforeAll(() => slack.start());
  afterAll(() => slack.close());
  const post = async (body: string) => {
    const res = await fetch(slack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return [res.status, await res.text()] as const;
  };

  it('answers 200 ok to text, to blocks, to both', async () => {
    expect(await post(JSON.stringify({ text: 'hi' }))).toEqual([200, 'ok']);
    expect(
      await post(JSON.stringify({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }] })),
    ).toEqual([200, 'ok']);
    expect(await post(JSON.stringify({ text: 'hi', blocks: [{ type: 'divider' }] }))).toEqual([200, 'ok']);
  });

  it('answers 400 invalid_payload to no JSON, no text nor blocks, or malformed blocks', async () => {
    const bad = [
      'not json',
      '{}',
      JSON.stringify({ text: '' }),
      JSON.stringify({ blocks: 'nope' }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'banner' }] }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'section' }] }),
      JSON.stringify({
        text: 'x',
        blocks: [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }],
      }),
      JSON.stringify({ text: 'x', blocks: [{ type: 'context', elements: [] }] }),
    ];
    for (const body of bad) expect([body, ...(await post(body))]).toEqual([body, 400, 'invalid_payload']);
  });

  it('answers 404 no_service, 410 channel_is_archived and 429 rate_limited in those states', async () => {
    const ok = JSON.stringify({ text: 'hi' });
    slack.state = 'no_service';
    expect(await post(ok)).toEqual([404, 'no_service']);
    slack.state = 'channel_is_archived';
    expect(await post(ok)).toEqual([410, 'channel_is_archived']);
    slack.state = 'rate_limited';
    expect(await post(ok)).toEqual([429, 'rate_limited']);
    slack.state = 'ok';
    expect(await post(ok)).toEqual([200, 'ok']);
  });
});
