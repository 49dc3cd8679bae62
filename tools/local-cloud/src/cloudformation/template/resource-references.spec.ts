import { referencedNames } from './resource-references';

describe('referencedNames', () => {
  it('finds Ref and both forms of Fn::GetAtt at any depth, once each', () => {
    // Prepare
    const properties = {
      Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
      Environment: { Variables: { TABLE: { Ref: 'Table' }, STREAM: { 'Fn::GetAtt': 'Table.StreamArn' } } },
      Layers: [{ Ref: 'Layer' }, { Ref: 'Table' }],
    };

    // Act
    const names = referencedNames(properties);

    // Assess
    expect(names).toEqual(['Role', 'Table', 'Layer']);
  });

  it('finds Fn::Sub placeholders, but not pseudo parameters, escapes or its own variables', () => {
    // Prepare
    const value = {
      'Fn::Sub': [
        '${AWS::Region}:${Api}:${Table.Arn}:${!Literal}:${ApiId}',
        { ApiId: { 'Fn::ImportValue': 'x' }, Other: { Ref: 'Bucket' } },
      ],
    };

    // Act
    const names = referencedNames(value);

    // Assess
    expect(names).toEqual(['Api', 'Table', 'Bucket']);
  });

  it('counts both branches of Fn::If and a Ref in a GetAtt attribute name', () => {
    const value = { 'Fn::If': ['C', { Ref: 'A' }, { 'Fn::GetAtt': ['B', { Ref: 'AttrParam' }] }] };
    expect(referencedNames(value)).toEqual(['A', 'B', 'AttrParam']);
  });

  it('leaves out pseudo parameters and finds nothing in literals', () => {
    expect(referencedNames({ Ref: 'AWS::AccountId' })).toEqual([]);
    expect(referencedNames({ Name: 'Ref', Value: ['Fn::GetAtt'] })).toEqual([]);
    expect(referencedNames(undefined)).toEqual([]);
  });
});
