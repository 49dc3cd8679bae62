import { ConditionError, ParameterValueError, UnresolvedReferenceError } from './errors';
import { evaluateConditions } from './evaluate-conditions';
import { createTestContext } from './testing/test-context';
import type { CloudFormationTemplate } from './types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
function template(conditions: Record<string, unknown>): CloudFormationTemplate {
  return {
    Parameters: {
      Stage: { Type: 'String', Default: 'local' },
      Region: { Type: 'String', Default: 'eu-west-1' },
    },
    Mappings: { StageConfig: { local: { Alarms: 'off' }, prod: { Alarms: 'on' } } },
    Conditions: conditions,
    Resources: { Table: { Type: 'AWS::DynamoDB::Table' } },
  };
}

describe('evaluateConditions', () => {
  it('evaluates every condition from parameters and pseudo parameters', () => {
    // Prepare
    const tpl = template({
      IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] },
      InIreland: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
      WantsAlarms: { 'Fn::Equals': [{ 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'Alarms'] }, 'on'] },
    });

    // Act
    const conditions = evaluateConditions(tpl, createTestContext());

    // Assess
    expect(conditions).toEqual({ IsLocal: true, InIreland: true, WantsAlarms: false });
  });

  it('uses the parameter values the context gives', () => {
    const tpl = template({ IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } });
    expect(evaluateConditions(tpl, createTestContext({ parameters: { Stage: 'prod' } }))).toEqual({
      IsProd: true,
    });
  });

  it('evaluates nested conditions that refer to each other, whatever their order', () => {
    // Prepare: IsLocalInIreland is defined before the conditions it uses.
    const tpl = template({
      IsLocalInIreland: { 'Fn::And': [{ Condition: 'IsLocal' }, { Condition: 'InIreland' }] },
      IsRemote: { 'Fn::Not': [{ Condition: 'IsLocal' }] },
      IsLocal: { 'Fn::Equals': [{ Ref: 'Stage' }, 'local'] },
      InIreland: {
        'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] }, { Condition: 'IsRemote' }],
      },
    });

    // Act
    const conditions = evaluateConditions(tpl, createTestContext());

    // Assess
    expect(conditions).toEqual({ IsLocalInIreland: true, IsRemote: false, IsLocal: true, InIreland: true });
  });

  it('gives an empty record for a template without Conditions', () => {
    expect(evaluateConditions({ Resources: {} }, createTestContext())).toEqual({});
  });

  it('refuses a condition that refers to an undefined one', () => {
    // Act
    const act = () =>
      evaluateConditions(template({ A: { 'Fn::Not': [{ Condition: 'Missing' }] } }), createTestContext());

    // Assess
    expect(act).toThrow(ConditionError);
    expect(act).toThrow(
      'Condition Missing is not defined in Conditions (at Conditions.A.Fn::Not[0].Condition)',
    );
  });

  it('refuses conditions that refer to each other in a loop', () => {
    // Prepare
    const tpl = template({
      A: { 'Fn::Not': [{ Condition: 'B' }] },
      B: { 'Fn::Not': [{ Condition: 'A' }] },
    });

    // Act
    const act = () => evaluateConditions(tpl, createTestContext());

    // Assess
    expect(act).toThrow('Circular dependency between conditions: [A -> B -> A] (at Conditions.A)');
  });

  it('lists only the conditions in the loop, not ones evaluated on the way', () => {
    // Prepare: A evaluates B (fine) before C, which loops back to A.
    const tpl = template({
      A: { 'Fn::And': [{ Condition: 'B' }, { Condition: 'C' }] },
      B: { 'Fn::Equals': ['x', 'x'] },
      C: { 'Fn::Not': [{ Condition: 'A' }] },
    });

    // Act
    const act = () => evaluateConditions(tpl, createTestContext());

    // Assess
    expect(act).toThrow('Circular dependency between conditions: [A -> C -> A]');
  });

  it('refuses a condition that refers to a resource, which does not exist yet when conditions are evaluated', () => {
    // Act
    const act = () =>
      evaluateConditions(
        template({ HasTable: { 'Fn::Equals': [{ Ref: 'Table' }, 'x'] } }),
        createTestContext(),
      );

    // Assess
    expect(act).toThrow(UnresolvedReferenceError);
    expect(act).toThrow('Conditions can refer to parameters and pseudo parameters only, not to Table');
  });

  it('refuses a condition that is not a condition function', () => {
    expect(() => evaluateConditions(template({ Odd: 'true' }), createTestContext())).toThrow(
      'Conditions expects a condition, got "true" (at Conditions.Odd)',
    );
  });

  it('checks parameters first, even when no condition uses them', () => {
    // Prepare
    const tpl: CloudFormationTemplate = { Parameters: { ApiKey: { Type: 'String' } }, Resources: {} };

    // Act
    const act = () => evaluateConditions(tpl, createTestContext());

    // Assess
    expect(act).toThrow(ParameterValueError);
    expect(act).toThrow('Parameters: [ApiKey] must have values');
  });
});
