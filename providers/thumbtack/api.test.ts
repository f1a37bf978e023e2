import { ThumbtackApiError, apiErrorMessage, thumbtackApi } from './api';
import { startFakeThumbtack, type FakeThumbtack } from '../../test/fakes/thumbtack';

const BUSINESS = '590297085345701895';
const settings = {
  webhookURL: 'https://hooks.example.com/webhooks/thumbtack',
  eventTypes: ['NegotiationCreatedV4', 'MessageCreatedV4'],
  enabled: true,
  auth: { username: 'hooks', password: 'a-long-random-password' },
};

async function apiError(promise: Promise<unknown>): Promise<ThumbtackApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ThumbtackApiError);
    return err as ThumbtackApiError;
  }
  throw new Error('the call succeeded');
}

describe('Thumbtack webhook management API', () => {
  let fake: FakeThumbtack;
  beforeAll(async () => {
    fake = await startFakeThumbtack({ businesses: [BUSINESS] });
  });
  afterAll(() => fake.close());

  it('creates, reads, lists, updates and deletes a webhook with the bearer token', async () => {
    const api = thumbtackApi({ baseUrl: fake.url, accessToken: fake.token });
    const created = await api.createWebhook(BUSINESS, settings);
    expect(created).toMatchObject({
      webhookURL: settings.webhookURL,
      enabled: true,
      authType: 'Basic',
      businessID: BUSINESS,
    });
    expect(fake.webhooks.get(created.webhookID)?.auth).toEqual(settings.auth);
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/api/v4/businesses/${BUSINESS}/webhooks`,
      body: settings,
    });

    expect(await api.getWebhook(BUSINESS, created.webhookID)).toEqual(created);
    expect(await api.listWebhooks(BUSINESS)).toEqual([created]);

    const updated = await api.updateWebhook(BUSINESS, created.webhookID, {
      ...settings,
      enabled: false,
      eventTypes: ['ReviewCreatedV4'],
    });
    expect(updated).toMatchObject({ webhookID: created.webhookID, enabled: false, eventTypes: ['ReviewCreatedV4'] });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'PUT',
      path: `/api/v4/businesses/${BUSINESS}/webhooks/${created.webhookID}`,
    });

    await api.deleteWebhook(BUSINESS, created.webhookID);
    expect(await api.listWebhooks(BUSINESS)).toEqual([]);
  });

  it("reports a rejected token with the status and Thumbtack's message, never the token", async () => {
    const wrongToken = 'tt_wrong_token_that_must_not_leak';
    const err = await apiError(thumbtackApi({ baseUrl: fake.url, accessToken: wrongToken }).listWebhooks(BUSINESS));
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      'Thumbtack API answered 401: The access token provided in the authorization header is not valid',
    );
    expect(err.message).not.toContain(wrongToken);
  });

  it('reports validation errors and missing webhooks', async () => {
    const api = thumbtackApi({ baseUrl: fake.url, accessToken: fake.token });
    const insecure = await apiError(
      api.createWebhook(BUSINESS, { ...settings, webhookURL: 'http://hooks.example.com/x' }),
    );
    expect(insecure.message).toBe('Thumbtack API answered 400: webhookURL must match ^https://');
    const missing = await apiError(api.deleteWebhook(BUSINESS, '123'));
    expect(missing.status).toBe(404);
    const otherBusiness = await apiError(api.listWebhooks('1'));
    expect(otherBusiness.status).toBe(403);
  });

  it('scrubs the token and other secrets from any message it shows', async () => {
    // The fake's 403 message echoes the business id: treated as a secret here, it must not show.
    const err = await apiError(
      thumbtackApi({ baseUrl: fake.url, accessToken: fake.token, secrets: ['4242'] }).listWebhooks('4242'),
    );
    expect(err.message).toBe('Thumbtack API answered 403: the token cannot manage business [redacted]');
    const unreachable = await apiError(
      thumbtackApi({ baseUrl: 'http://127.0.0.1:1', accessToken: fake.token }).listWebhooks(BUSINESS),
    );
    expect(unreachable.status).toBe(0);
    expect(unreachable.message).toMatch(/^Thumbtack API unreachable: http:\/\/127\.0\.0\.1:1: /);
    expect(unreachable.message).not.toContain(fake.token);
  });

  it.each([
    ['{"error":{"code":"INVALID_TOKEN","message":"token expired"}}', 'token expired'],
    ['{"message":"Not Found"}', 'Not Found'],
    ['{"errors":[{"message":"a"},{"message":"b"}]}', 'a; b'],
    ['{"error":"invalid_grant","error_description":"refresh token revoked"}', 'invalid_grant: refresh token revoked'],
    ['{"title":"Bad Request"}', 'Bad Request'],
    ['upstream timed out', 'upstream timed out'],
    ['', '(empty body)'],
  ])('reads the message from the error body %s', (body, message) => {
    expect(apiErrorMessage(body)).toBe(message);
  });
});
