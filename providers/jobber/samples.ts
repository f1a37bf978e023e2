import { randomInt } from 'node:crypto';
import type { SampleBuilder } from '../../src/provider';
import { jobberSettings } from './settings';
import { SIGNATURE_HEADER, jobberSignature } from './verify';

/** Jobber's ids are base64 global ids, e.g. base64 of `gid://Jobber/Client/52413`. */
const globalId = (kind: string, n: number | string) => Buffer.from(`gid://Jobber/${kind}/${n}`).toString('base64');

const APP_ID = '3ef22a50-072d-430c-a78f-b7646657560b';
const ACCOUNT_ID = globalId('Account', 1001);

/** The GraphQL type of each topic's item (`PRODUCT_OR_SERVICE` → ProductOrService). */
const SUBJECTS: Readonly<Record<string, string>> = {
  CLIENT: 'Client', JOB: 'Job', INVOICE: 'Invoice', QUOTE: 'Quote', REQUEST: 'Request', VISIT: 'Visit',
  PROPERTY: 'Property', PAYMENT: 'PaymentRecord', PAYOUT: 'Payout', PRODUCT_OR_SERVICE: 'ProductOrService',
  TIMESHEET: 'TimeSheetEntry', EXPENSE: 'Expense', USER: 'User', APP: 'Account',
};

const CRUD = ['CREATE', 'UPDATE', 'DESTROY'];

/** Every topic Jobber sends (WebHookTopicEnum, and the ones added since). */
const TOPICS = [
  'APP_CONNECT', 'APP_DISCONNECT',
  ...['CLIENT', 'JOB', 'INVOICE', 'QUOTE', 'REQUEST', 'VISIT', 'PROPERTY', 'PAYMENT', 'PAYOUT', 'PRODUCT_OR_SERVICE', 'TIMESHEET', 'EXPENSE']
    .flatMap((subject) => CRUD.map((action) => `${subject}_${action}`)),
  'VISIT_COMPLETE', 'JOB_CLOSED', 'QUOTE_SENT', 'QUOTE_APPROVED', 'USER_CREATE', 'USER_UPDATE',
];

/** Jobber's occurredAt: ISO time with the account's offset, e.g. `2026-05-01T09:00:00-06:00`. */
const occurredAt = (date: Date) => new Date(date.getTime() - 6 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-06:00');

function sample(topic: string): SampleBuilder {
  const subject = topic.slice(0, topic.lastIndexOf('_'));
  return ({ config }) => {
    const itemId = subject === 'APP' ? ACCOUNT_ID : globalId(SUBJECTS[subject]!, randomInt(10_000, 2 ** 31));
    const body = JSON.stringify({
      data: { webHookEvent: { topic, appId: APP_ID, accountId: ACCOUNT_ID, itemId, occurredAt: occurredAt(new Date()) } },
    });
    // HMAC-SHA256 of the raw body keyed with the app's client secret, base64 (there is no Jobber library).
    const [secret] = jobberSettings.of(config).clientSecrets;
    return { path: '/webhooks/jobber', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: jobberSignature(secret!, body) }, body };
  };
}

export const jobberSamples: Readonly<Record<string, SampleBuilder>> = Object.fromEntries(TOPICS.map((topic) => [topic, sample(topic)]));
