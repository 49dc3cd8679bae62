import { ParameterValueError } from './errors';
import { checkParameters, parameterValue } from './parameters';
import type { CloudFormationTemplate } from './types';

// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
const TEMPLATE: CloudFormationTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'local', AllowedValues: ['local', 'prod'] },
    MemorySize: { Type: 'Number', Default: 256 },
    Subnets: { Type: 'CommaDelimitedList', Default: 'subnet-a, subnet-b' },
    ApiKey: { Type: 'String' },
  },
  Resources: {},
};

describe('parameterValue', () => {
  it('prefers the given value over the Default', () => {
    expect(parameterValue('Stage', TEMPLATE, { Stage: 'prod' })).toBe('prod');
  });

  it('falls back to the Default, as a string even when the template wrote a number', () => {
    expect(parameterValue('MemorySize', TEMPLATE, {})).toBe('256');
  });

  it('gives list parameters as lists with their members trimmed', () => {
    expect(parameterValue('Subnets', TEMPLATE, undefined)).toEqual(['subnet-a', 'subnet-b']);
  });

  it('gives undefined for a name that is not a parameter', () => {
    expect(parameterValue('ApiGatewayRestApi', TEMPLATE, {})).toBeUndefined();
  });

  it('uses given values alone when there is no template', () => {
    expect(parameterValue('Stage', undefined, { Stage: 'dev' })).toBe('dev');
  });

  it("refuses a parameter with no value and no Default, in CloudFormation's words", () => {
    expect(() => parameterValue('ApiKey', TEMPLATE, {})).toThrow(
      new ParameterValueError('ApiKey', 'Parameters: [ApiKey] must have values', 'Parameters.ApiKey'),
    );
  });

  it('refuses a value outside AllowedValues', () => {
    expect(() => parameterValue('Stage', TEMPLATE, { Stage: 'staging' })).toThrow(
      "Parameter 'Stage' must be one of AllowedValues (at Parameters.Stage)",
    );
  });
});

describe('checkParameters', () => {
  it('accepts a template whose parameters all have values', () => {
    expect(() => checkParameters(TEMPLATE, { ApiKey: 'secret' })).not.toThrow();
  });

  it('names the parameter that has no value', () => {
    expect(() => checkParameters(TEMPLATE, {})).toThrow('Parameters: [ApiKey] must have values');
  });

  it('refuses values for parameters the template does not declare', () => {
    expect(() => checkParameters(TEMPLATE, { ApiKey: 'k', Stag: 'prod' })).toThrow(
      'Parameters: [Stag] do not exist in the template',
    );
  });
});
