import { z } from 'zod';
import {
  type EventTypeDefinition,
  normalizedObject,
  type NormalizedObject,
  sharedEventTypes,
} from '../../src/provider';

/** The catalogue's Thumbtack types; PASS_THROUGH are those Hookport keeps no table for. */

const BUSINESS_ID = '590297085345701895';
const id = (what: string) => [z.string(), `Thumbtack's ${what} (an 18-digit id, as a string).`] as const;

const PRESET_JOB_ID = '590450117632802819';
const presetJobSample = (status: string) => ({
  presetJobID: PRESET_JOB_ID,
  businessID: BUSINESS_ID,
  status,
  deepLink: `https://www.thumbtack.com/pro-leads/${PRESET_JOB_ID}`,
});

const presetJob = normalizedObject(
  {
    presetJobID: id('preset job id'),
    jobID: id('job id, once the job is booked'),
    negotiationID: id('negotiation (lead) id, when there is one'),
    businessID: id('business id'),
    status: [
      z.string(),
      "The preset job's status as Thumbtack names it (e.g. `matched`, `won`, `cancelled`, `completed`).",
    ],
    deepLink: [z.string(), "The job in Thumbtack's app for pros."],
  },
  { sample: presetJobSample('won') },
);

const incentive = normalizedObject(
  {
    incentiveID: id('incentive id'),
    businessID: id('business id'),
    negotiationID: id('negotiation (lead) id it was used on'),
    status: [z.string(), "The incentive's status as Thumbtack names it (e.g. `used`)."],
  },
  {
    sample: {
      incentiveID: '590463302754183170',
      businessID: BUSINESS_ID,
      negotiationID: '590299344770662410',
      status: 'used',
    },
  },
);

interface PassThrough {
  type: string;
  description: string;
  object: NormalizedObject;
  /** What Thumbtack sends for it, for the catalogue's example (else the object's own). */
  sample?: Record<string, unknown>;
}

const onDemand = 'An on-demand preset job (an order Thumbtack booked for the business, not an ordinary lead)';

/** Thumbtack's event types that become canonical events with no record, by Thumbtack's name. */
export const PASS_THROUGH: Readonly<Record<string, PassThrough>> = {
  PresetJobMatchedV4: {
    type: 'thumbtack.preset_job.matched',
    description: `${onDemand} was matched to the business.`,
    object: presetJob,
    sample: presetJobSample('matched'),
  },
  PresetJobStatusChangedV4: {
    type: 'thumbtack.preset_job.status_changed',
    description: `The status of ${onDemand.replace(/^An/, 'an')} changed; \`data.object.status\` is the new one.`,
    object: presetJob,
  },
  PresetJobUpdatedV4: {
    type: 'thumbtack.preset_job.updated',
    description: `${onDemand} was changed (its time or details).`,
    object: presetJob,
  },
  PresetJobCancelledV4: {
    type: 'thumbtack.preset_job.cancelled',
    description: `${onDemand} was cancelled.`,
    object: presetJob,
    sample: presetJobSample('cancelled'),
  },
  PresetJobCompletedV4: {
    type: 'thumbtack.preset_job.completed',
    description: `${onDemand} was completed.`,
    object: presetJob,
    sample: presetJobSample('completed'),
  },
  IncentiveUsedV4: {
    type: 'thumbtack.incentive.used',
    description:
      'A Thumbtack incentive (a promotion offered to the business) was used, usually on a lead (`negotiationID`).',
    object: incentive,
  },
};

export const thumbtackEventTypes: readonly EventTypeDefinition[] = [
  {
    type: 'lead.created',
    description:
      'A customer sent the business a new lead on Thumbtack. `data.object` is the `leads` row: the customer, the category, the request and the lead price.',
    recordKind: 'lead',
  },
  {
    type: 'review.created',
    description:
      'A customer left a review of the business on Thumbtack. `data.object` is the `reviews` row (rating, text, reviewer).',
    recordKind: 'review',
  },
  ...sharedEventTypes('message.received', 'message.sent'),
  ...Object.values(PASS_THROUGH).map(({ type, description, object, sample }): EventTypeDefinition => ({
    type,
    description: `${description} \`data.object\` holds the ids and status Thumbtack sent.`,
    recordKind: null,
    object: { schema: object.schema, example: sample ? object.of(sample) : object.example },
  })),
];
