import { eventUrl, maskedUrl, shownUrl } from '../../src/deliveries/shown-url';

describe('shownUrl: how a subscription URL is shown', () => {
  const token = 'xYzSecretPartAbCd1234567';
  const slack = `https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/${token}`;

  it("shows a Slack URL's host and path shape, and none of its token's characters", () => {
    const shown = shownUrl('slack', slack);
    expect(shown).toBe('https://hooks.slack.com/services/T…/B…/…');
    // Not one run of 3 of the token's characters is left (the old mask kept the last 4).
    for (let i = 0; i + 3 <= token.length; i++) expect(shown).not.toContain(token.slice(i, i + 3));
  });

  it('shows a webhook URL whole: it is not a secret', () => {
    const url = 'https://crm.example.com/hooks/hookport?tenant=42';
    expect(shownUrl('webhook', url)).toBe(url);
  });

  it('keeps a port, drops user info, and never shows the last segment, the query or the fragment', () => {
    expect(maskedUrl('http://127.0.0.1:8123/services/T0/B0/abcdefghijklmnop')).toBe(
      'http://127.0.0.1:8123/services/…/…/…',
    );
    expect(maskedUrl('https://user:hunter2@chat.example.com/hooks/abcdefgh1234')).toBe(
      'https://chat.example.com/hooks/…',
    );
    expect(maskedUrl('https://chat.example.com/abcdefg')).toBe('https://chat.example.com/…');
    expect(maskedUrl('https://chat.example.com/post?token=s3cr3t#frag')).toBe('https://chat.example.com/…?…');
    expect(maskedUrl('https://chat.example.com/Secret_Token-99/post')).toBe('https://chat.example.com/…/…');
    expect(maskedUrl('https://chat.example.com/')).toBe('https://chat.example.com/…');
  });

  it('shows nothing of what is not an http(s) URL', () => {
    expect(maskedUrl('not a url but a long secret value')).toBe('…');
    expect(maskedUrl('mailto:secret-address@example.com')).toBe('…');
  });
});

describe('eventUrl: a URL in an operational event body', () => {
  it('drops the query and fragment of a webhook URL, where tokens go, and keeps its origin and path', () => {
    expect(eventUrl('webhook', 'https://crm.example.com:8443/hooks/in?token=s3cr3t#frag')).toBe(
      'https://crm.example.com:8443/hooks/in?…',
    );
    expect(eventUrl('webhook', 'https://user:hunter2@crm.example.com/hooks')).toBe('https://crm.example.com/hooks');
    expect(eventUrl('webhook', 'not a url')).toBe('…');
  });

  it('shows a Slack URL by its shape only', () => {
    expect(eventUrl('slack', 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/xYzSecretPart')).toBe(
      'https://hooks.slack.com/services/T…/B…/…',
    );
  });
});
