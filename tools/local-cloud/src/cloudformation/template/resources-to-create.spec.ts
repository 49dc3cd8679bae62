import { ConditionError, UnresolvedReferenceError } from './errors';
import { resourcesToCreate, shouldCreateResource } from './resources-to-create';
import type { CloudFormationTemplate } from './types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
const TEMPLATE: CloudFormationTemplate = {
  Conditions: { IsProd: false, IsLocal: true },
  Resources: {
    Function: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Condition: 'IsProd' },
    Role: { Type: 'AWS::IAM::Role', Condition: 'IsLocal' },
  },
};
const CONDITIONS = { IsProd: false, IsLocal: true };

describe('shouldCreateResource', () => {
  it('creates resources without a Condition and those whose Condition is true', () => {
    expect(shouldCreateResource(TEMPLATE, 'Function', CONDITIONS)).toBe(true);
    expect(shouldCreateResource(TEMPLATE, 'Role', CONDITIONS)).toBe(true);
  });

  it('skips resources whose Condition is false', () => {
    expect(shouldCreateResource(TEMPLATE, 'Alarm', CONDITIONS)).toBe(false);
  });

  it('refuses a Condition that was not evaluated', () => {
    expect(() => shouldCreateResource(TEMPLATE, 'Alarm', {})).toThrow(
      new ConditionError(
        'IsProd',
        'Condition IsProd is not defined in Conditions',
        'Resources.Alarm.Condition',
      ),
    );
  });

  it('refuses a logical id the template does not have', () => {
    expect(() => shouldCreateResource(TEMPLATE, 'Nope', CONDITIONS)).toThrow(UnresolvedReferenceError);
  });
});

describe('resourcesToCreate', () => {
  it('gives the creation order without the skipped resources', () => {
    expect(resourcesToCreate(TEMPLATE, CONDITIONS)).toEqual(['Role', 'Function']);
  });
});
