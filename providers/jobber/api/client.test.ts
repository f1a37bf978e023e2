import { readAnswer } from './client';
import { DeferError } from '../../../src/errors/hookport-error';

const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const located = { locations: [{ line: 2, column: 3 }], path: ['client'] };

describe('readAnswer: an item Jobber cannot find', () => {
  it('answers the data when the item is null without errors (what Jobber documents)', async () => {
    await expect(readAnswer(answer({ data: { client: null } }), { item: 'client' })).resolves.toEqual({ client: null });
  });

  it.each([
    ['a NOT_FOUND code', { message: 'Something went wrong', extensions: { code: 'NOT_FOUND' }, ...located }],
    ['a not-found message', { message: 'Client not found', ...located }],
    ['a could-not-be-found message without a path', { message: 'The record could not be found' }],
    ['a does-not-exist message', { message: "Record doesn't exist", ...located }],
  ])('answers the data when the item is null with %s for it', async (_name, error) => {
    await expect(readAnswer(answer({ data: { client: null }, errors: [error] }), { item: 'client' })).resolves.toEqual({
      client: null,
    });
  });

  it('keeps a not-found error an error where no item may be missing (e.g. the account query)', async () => {
    const body = { data: { client: null }, errors: [{ message: 'Client not found', ...located }] };
    await expect(readAnswer(answer(body))).rejects.toThrow('Jobber API answered 200: Client not found');
  });

  it.each([
    [
      'a permission error',
      {
        data: { client: null },
        errors: [{ message: 'The field client on an object of type Query was hidden due to permissions', ...located }],
      },
    ],
    [
      'a not-found error for a field inside the item',
      {
        data: { client: { id: 'x', billingAddress: null } },
        errors: [{ message: 'Address not found', path: ['client', 'billingAddress'] }],
      },
    ],
    [
      'a not-found error beside another error',
      { data: { client: null }, errors: [{ message: 'Client not found', ...located }, { message: 'Internal error' }] },
    ],
    ['no data at all', { data: null, errors: [{ message: 'Client not found', extensions: { code: 'NOT_FOUND' } }] }],
  ])('keeps %s an error', async (_name, body) => {
    await expect(readAnswer(answer(body), { item: 'client' })).rejects.toThrow(/^Jobber API answered 200/);
  });

  it('keeps a not-found answer with an HTTP error status an error', async () => {
    const body = { data: { client: null }, errors: [{ message: 'Client not found', ...located }] };
    await expect(readAnswer(answer(body, 500), { item: 'client' })).rejects.toThrow(
      'Jobber API answered 500: Client not found',
    );
  });

  it('still defers a throttled query', async () => {
    const body = { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] };
    await expect(readAnswer(answer(body), { item: 'client' })).rejects.toBeInstanceOf(DeferError);
  });
});
