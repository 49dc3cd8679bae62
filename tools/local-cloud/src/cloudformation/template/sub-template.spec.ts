import { parseSubTemplate, splitAttributeReference } from './sub-template';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
describe('parseSubTemplate', () => {
  it('splits text and the three kinds of placeholder', () => {
    expect(parseSubTemplate('arn:${AWS::Partition}:s3:::${Bucket}/${Table.Arn}')).toEqual([
      { kind: 'text', text: 'arn:' },
      { kind: 'variable', name: 'AWS::Partition' },
      { kind: 'text', text: ':s3:::' },
      { kind: 'variable', name: 'Bucket' },
      { kind: 'text', text: '/' },
      { kind: 'variable', name: 'Table.Arn' },
    ]);
  });

  it('turns ${!Literal} into the text ${Literal}', () => {
    expect(parseSubTemplate('echo ${!HOME} ${Stage}')).toEqual([
      { kind: 'text', text: 'echo ' },
      { kind: 'text', text: '${HOME}' },
      { kind: 'text', text: ' ' },
      { kind: 'variable', name: 'Stage' },
    ]);
  });

  it('leaves text without placeholders, and an unclosed ${, as text', () => {
    expect(parseSubTemplate('costs $5 ${oops')).toEqual([{ kind: 'text', text: 'costs $5 ${oops' }]);
    expect(parseSubTemplate('')).toEqual([]);
  });
});

describe('splitAttributeReference', () => {
  it('splits at the first dot, keeping dotted attribute names whole', () => {
    expect(splitAttributeReference('Db.Endpoint.Address')).toEqual({
      logicalId: 'Db',
      attribute: 'Endpoint.Address',
    });
  });

  it('does not treat names without a dot as attributes', () => {
    expect(splitAttributeReference('AWS::Region')).toBeUndefined();
    expect(splitAttributeReference('Stage')).toBeUndefined();
    expect(splitAttributeReference('.Arn')).toBeUndefined();
  });
});
