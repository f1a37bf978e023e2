import { randomInt } from 'node:crypto';
import type { SampleBuilder } from '../../../src/provider';
import { jobberSettings } from '../settings';
import { SIGNATURE_HEADER, jobberSignature } from './verify';
import { globalId, JOBBER_TOPICS, TOPIC_ITEM_TYPES } from './webhook-topics';

const APP_ID = '3ef22a50-072d-430c-a78f-b7646657560b';
const ACCOUNT_ID = globalId('Account', 1001);

/** Jobber's occurredAt: ISO time with the account's offset, e.g. `2026-05-01T09:00:00-06:00`. */
const occurredAt = (date: Date) =>
  new Date(date.getTime() - 6 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-06:00');

function sample(topic: string): SampleBuilder {
  const subject = topic.slice(0, topic.lastIndexOf('_'));
  return ({ config }) => {
    const itemId = subject === 'APP' ? ACCOUNT_ID : globalId(TOPIC_ITEM_TYPES[subject]!, randomInt(10_000, 2 ** 31));
    const body = JSON.stringify({
      data: {
        webHookEvent: { topic, appId: APP_ID, accountId: ACCOUNT_ID, itemId, occurredAt: occurredAt(new Date()) },
      },
    });
    // HMAC-SHA256 of the raw body keyed with the app's client secret, base64 (there is no Jobber library).
    const [secret] = jobberSettings.of(config).clientSecrets;
    return {
      path: '/webhooks/jobber',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: jobberSignature(secret!, body) },
      body,
    };
  };
}

/** One for every topic Jobber sends. */
export const jobberSamples: Readonly<Record<string, SampleBuilder>> = Object.fromEntries(
  JOBBER_TOPICS.map((topic) => [topic, sample(topic)]),
);
