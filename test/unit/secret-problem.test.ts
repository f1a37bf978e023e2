import { secretProblem } from '../../src/deliveries/signing';

describe('a caller’s own HMAC secret', () => {
  it('may not look like an encrypted value: stored plainly, it would read as one', () => {
    expect(secretProblem('hmac-sha256', 'enc:v1:0123456789ab:abcdefghijklmnop')).toMatch(
      /must not begin with "enc:v1:"/,
    );
    expect(secretProblem('hmac-sha256-hex', 'enc:v1:0123456789ab:abcdefghijklmnop')).not.toBeNull();
    expect(secretProblem('hmac-sha256', 'encv1-but-not-the-prefix-0123')).toBeNull();
  });
});
