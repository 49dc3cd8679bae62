import { Redactor } from './redact';

describe('Redactor', () => {
  const credentials = {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////+token/with=special',
  };
  const redactor = new Redactor();
  redactor.add(credentials);
  const redact = (text: string) => redactor.apply(text);

  it('removes the secret key wherever it appears', () => {
    expect(redact(`secret ${credentials.secretAccessKey} here`)).toBe(
      'secret [secret access key redacted] here',
    );
  });

  it('cuts the session token, raw and URI-encoded, to its first 8 characters', () => {
    // Arrange
    const encoded = encodeURIComponent(credentials.sessionToken);

    // Act
    const text = redact(`x-amz-security-token:${credentials.sessionToken}\nX-Amz-Security-Token=${encoded}`);

    // Assess
    expect(text).not.toContain(credentials.sessionToken);
    expect(text).not.toContain(encoded);
    expect(text).toBe(
      `x-amz-security-token:IQoJb3Jp…[${credentials.sessionToken.length - 8} chars redacted]\n` +
        `X-Amz-Security-Token=IQoJb3Jp…[${encoded.length - 8} chars redacted]`,
    );
  });

  it('cuts signatures in headers and presigned queries so a pasted log cannot be replayed', () => {
    // Arrange
    const signature = 'a'.repeat(64);

    // Act
    const text = redact(`Signature=${signature}, X-Amz-Signature=${signature}`);

    // Assess
    expect(text).toBe('Signature=aaaaaaaa…[56 chars redacted], X-Amz-Signature=aaaaaaaa…[56 chars redacted]');
  });

  it('leaves the access key id (not a secret; AWS prints it in errors)', () => {
    expect(redact('Credential=ASIAEXAMPLE/20260101')).toBe('Credential=ASIAEXAMPLE/20260101');
  });

  it('knows every set of credentials it was given', () => {
    // Arrange
    const refreshed = {
      accessKeyId: 'ASIANEW',
      secretAccessKey: 'second-secret-key',
      sessionToken: 'SECONDTOKEN123456',
    };
    redactor.add(refreshed);

    // Act
    const text = redact(
      `${credentials.secretAccessKey} ${refreshed.secretAccessKey} ${refreshed.sessionToken}`,
    );

    // Assess
    expect(text).toBe(
      '[secret access key redacted] [secret access key redacted] SECONDTO…[9 chars redacted]',
    );
  });
});
