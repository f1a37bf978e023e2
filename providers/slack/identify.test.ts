import { identifySlack } from './identify';
import { commandForm } from './samples';

const request = (body: string, headers: Record<string, string> = {}) => ({
  body: Buffer.from(body),
  headers,
  url: '/slack/commands',
});

describe('identifySlack', () => {
  it('names a command `command`, keyed on its trigger_id', () => {
    const form = commandForm('/jobber client dana');
    expect(identifySlack(request(new URLSearchParams(form).toString()))).toEqual({
      eventType: 'command',
      dedupeKey: `trigger:${form.trigger_id}`,
    });
  });

  it('names a click by its payload type, keyed on its trigger_id', () => {
    const payload = JSON.stringify({ type: 'block_actions', trigger_id: '123.456.abc', actions: [] });
    expect(identifySlack(request(new URLSearchParams({ payload }).toString()))).toEqual({
      eventType: 'block_actions',
      dedupeKey: 'trigger:123.456.abc',
    });
  });

  it('keys a request without a usable trigger_id on its signed timestamp and signature, and never throws', () => {
    const headers = { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': `v0=${'a'.repeat(64)}` };
    const one = identifySlack(request('payload=%7Bnot json', headers));
    expect(one.eventType).toBe('unknown');
    expect(one.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    const other = identifySlack(
      request('payload=%7Bnot json', { ...headers, 'x-slack-signature': `v0=${'b'.repeat(64)}` }),
    );
    expect(other.dedupeKey).not.toBe(one.dedupeKey);
  });
});
