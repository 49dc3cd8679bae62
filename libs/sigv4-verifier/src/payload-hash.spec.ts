import { EMPTY_BODY_SHA256 } from './constants';
import { SignatureDoesNotMatchError } from './errors';
import { payloadHash } from './payload-hash';

const BODY = Buffer.from('Param1=value1');
const BODY_SHA256 = '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e';

describe('payloadHash', () => {
  it('hashes the body received, agreeing with a matching x-amz-content-sha256', () => {
    expect(payloadHash(BODY, undefined, true)).toBe(BODY_SHA256);
    expect(payloadHash(BODY, BODY_SHA256, true)).toBe(BODY_SHA256);
    expect(payloadHash(new Uint8Array(0), undefined, true)).toBe(EMPTY_BODY_SHA256);
  });

  it("refuses a declared hash that is not the body's, as S3 does", () => {
    // Act
    const act = () => payloadHash(BODY, EMPTY_BODY_SHA256, true);

    // Assess
    expect(act).toThrow(
      new SignatureDoesNotMatchError(
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      ),
    );
  });

  it('accepts UNSIGNED-PAYLOAD for S3-style services only', () => {
    expect(payloadHash(BODY, 'UNSIGNED-PAYLOAD', false)).toBe('UNSIGNED-PAYLOAD');
    expect(() => payloadHash(BODY, 'UNSIGNED-PAYLOAD', true)).toThrow(SignatureDoesNotMatchError);
  });
});
