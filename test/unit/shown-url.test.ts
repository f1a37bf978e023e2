import { maskedUrl, shownUrl } from '../../src/deliveries/shown-url';

describe('shownUrl: how a subscription URL is shown', () => {
  const slack = 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/xYzSecretPartAbCd';

  it('masks a Slack URL to its scheme, host and last 4 characters', () => {
    expect(shownUrl('slack', slack)).toBe('https://hooks.slack.com/…AbCd');
  });

  it('shows a webhook URL whole: it is not a secret', () => {
    const url = 'https://crm.example.com/hooks/hookport?tenant=42';
    expect(shownUrl('webhook', url)).toBe(url);
  });

  it('keeps a port, drops user info, and shows no tail when the rest is too short to hide', () => {
    expect(maskedUrl('http://127.0.0.1:8123/services/T0/B0/abcdefghijklmnop')).toBe('http://127.0.0.1:8123/…mnop');
    expect(maskedUrl('https://user:hunter2@chat.example.com/hooks/abcdefgh1234')).toBe(
      'https://chat.example.com/…1234',
    );
    expect(maskedUrl('https://chat.example.com/abcdefg')).toBe('https://chat.example.com/…');
  });

  it('shows only the tail of what is not an http(s) URL', () => {
    expect(maskedUrl('not a url but a long secret value')).toBe('/…alue');
    expect(maskedUrl('mailto:secret-address@example.com')).toBe('/….com');
  });
});
