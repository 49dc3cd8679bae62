import { parseCredential } from './credential';
import { checkCredentialScope } from './credential-scope';
import { InvalidCredentialScopeError } from './errors';

const EXPECTED = { region: 'us-east-1', service: 'execute-api' };

describe('checkCredentialScope', () => {
  it('accepts the expected region and service on the request day', () => {
    const credential = parseCredential('AKID/20150830/us-east-1/execute-api/aws4_request');
    expect(() => checkCredentialScope(credential, '20150830T235959Z', EXPECTED)).not.toThrow();
  });

  it('names the expected service, as API Gateway does', () => {
    const credential = parseCredential('AKID/20150830/us-east-1/sts/aws4_request');
    expect(() => checkCredentialScope(credential, '20150830T123600Z', EXPECTED)).toThrow(
      new InvalidCredentialScopeError("Credential should be scoped to correct service: 'execute-api'. "),
    );
  });

  it('names the region the request was scoped to', () => {
    const credential = parseCredential('AKID/20150830/eu-west-1/execute-api/aws4_request');
    expect(() => checkCredentialScope(credential, '20150830T123600Z', EXPECTED)).toThrow(
      "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    );
  });

  it('reports every mismatch at once, in AWS order', () => {
    // Prepare
    const credential = parseCredential('AKID/20150829/eu-west-1/sts/aws5_request');

    // Act
    const act = () => checkCredentialScope(credential, '20150830T000100Z', EXPECTED);

    // Assess
    expect(act).toThrow(
      "Credential should be scoped to a valid region, not 'eu-west-1'. " +
        "Credential should be scoped to correct service: 'execute-api'. " +
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T000100Z'. ",
    );
  });
});
