import { parseCredential } from './credential';

describe('parseCredential', () => {
  it('splits the five elements, ignoring trailing slashes as AWS does', () => {
    expect(parseCredential('AKID/20150830/us-east-1/sts/aws4_request//')).toEqual({
      accessKeyId: 'AKID',
      date: '20150830',
      region: 'us-east-1',
      service: 'sts',
      terminator: 'aws4_request',
    });
  });

  it("answers AWS's text when the credential does not have five elements", () => {
    expect(() => parseCredential('a/b/c/d')).toThrow(
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    );
  });
});
