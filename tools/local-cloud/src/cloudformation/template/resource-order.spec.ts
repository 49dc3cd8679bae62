import { CircularDependencyError, UnresolvedReferenceError } from './errors';
import { resourceOrder } from './resource-order';
import type { CloudFormationTemplate, TemplateResource } from './types';

function resource(properties: Record<string, unknown> = {}, dependsOn?: string | string[]): TemplateResource {
  return { Type: 'AWS::Test::Thing', Properties: properties, ...(dependsOn ? { DependsOn: dependsOn } : {}) };
}

describe('resourceOrder', () => {
  it('keeps template order for independent resources', () => {
    const template: CloudFormationTemplate = { Resources: { B: resource(), A: resource(), C: resource() } };
    expect(resourceOrder(template)).toEqual(['B', 'A', 'C']);
  });

  it('puts each resource after what it refers to through Ref, Fn::GetAtt and Fn::Sub', () => {
    // Prepare
    const template: CloudFormationTemplate = {
      Resources: {
        Permission: resource({ SourceArn: { 'Fn::Sub': 'arn:aws:execute-api:${AWS::Region}:${Api}/*' } }),
        Function: resource({ Role: { 'Fn::GetAtt': ['Role', 'Arn'] } }),
        Role: resource({ Resource: { 'Fn::GetAtt': 'Table.Arn' } }),
        Api: resource(),
        Table: resource(),
      },
    };

    // Act
    const order = resourceOrder(template);

    // Assess
    expect(order).toEqual(['Api', 'Permission', 'Table', 'Role', 'Function']);
  });

  it('puts each resource after what it DependsOn, as a string or a list', () => {
    // Prepare
    const template: CloudFormationTemplate = {
      Resources: {
        Deployment: resource({}, ['MethodGet', 'MethodPost']),
        MethodGet: resource({}, 'Permission'),
        MethodPost: resource(),
        Permission: resource(),
      },
    };

    // Act
    const order = resourceOrder(template);

    // Assess
    expect(order).toEqual(['Permission', 'MethodGet', 'MethodPost', 'Deployment']);
  });

  it('ignores references to parameters and pseudo parameters', () => {
    const template: CloudFormationTemplate = {
      Parameters: { Stage: { Type: 'String' } },
      Resources: {
        A: resource({ Name: { 'Fn::Sub': '${Stage}-${AWS::StackName}' }, Region: { Ref: 'AWS::Region' } }),
      },
    };
    expect(resourceOrder(template)).toEqual(['A']);
  });

  // CloudFormation's wording: "Template format error: Unresolved resource dependencies [X] in the Resources
  // block of the template" (e.g. https://github.com/serverless/serverless/issues/4745).
  it('refuses a reference to an unknown logical id, naming it and the resource', () => {
    // Prepare
    const template: CloudFormationTemplate = {
      Resources: { Function: resource({ Role: { 'Fn::GetAtt': ['Rol', 'Arn'] } }) },
    };

    // Act
    const act = () => resourceOrder(template);

    // Assess
    expect(act).toThrow(UnresolvedReferenceError);
    expect(act).toThrow(
      'Unresolved resource dependencies [Rol] in the Resources block of the template (at Resources.Function.Properties)',
    );
  });

  it('refuses a DependsOn on an unknown logical id', () => {
    const template: CloudFormationTemplate = { Resources: { Function: resource({}, ['LogGroup']) } };
    expect(() => resourceOrder(template)).toThrow(
      'Unresolved resource dependencies [LogGroup] in the Resources block of the template (at Resources.Function.DependsOn)',
    );
  });

  it('refuses a DependsOn that is not a logical id', () => {
    const template = {
      Resources: { A: { Type: 'T', DependsOn: [{ Ref: 'B' }] } },
    } as unknown as CloudFormationTemplate;
    expect(() => resourceOrder(template)).toThrow('DependsOn of A must be a logical id or a list of them');
  });

  it('refuses a dependency loop, listing the resources in it', () => {
    // Prepare: A -> B (Ref) -> C (DependsOn) -> A (Sub); D is outside the loop.
    const template: CloudFormationTemplate = {
      Resources: {
        D: resource({ X: { Ref: 'A' } }),
        A: resource({ X: { Ref: 'B' } }),
        B: resource({}, 'C'),
        C: resource({ X: { 'Fn::Sub': '${A.Arn}' } }),
      },
    };

    // Act
    const act = () => resourceOrder(template);

    // Assess
    expect(act).toThrow(CircularDependencyError);
    expect(act).toThrow('Circular dependency between resources: [A, B, C] (at Resources.A)');
  });

  it('refuses a resource that refers to itself', () => {
    const template: CloudFormationTemplate = { Resources: { A: resource({ Name: { Ref: 'A' } }) } };
    expect(() => resourceOrder(template)).toThrow('Circular dependency between resources: [A]');
  });

  it('refuses a template without Resources', () => {
    expect(() => resourceOrder({} as CloudFormationTemplate)).toThrow(
      'The template has no Resources section',
    );
  });
});
