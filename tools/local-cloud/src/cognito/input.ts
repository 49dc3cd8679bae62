import { invalidParameter } from './errors';

type Json = Record<string, unknown>;

/**
 * Reads one operation's JSON input the way Cognito validates it: a missing required member, a wrong type or a
 * value past its length gets InvalidParameterException with AWS's "1 validation error detected" wording, never
 * a crash. Limits are those of the Cognito API reference (e.g. Username 1-128, Password 256, ClientId 1-128).
 */
export class Input {
  public constructor(private readonly body: Json) {}

  public static parse(text: string): Input {
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw invalidParameter('The request body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw invalidParameter('The request body must be a JSON object');
    return new Input(body as Json);
  }

  public string(name: string, maxLength = 2048): string {
    const value = this.optionalString(name, maxLength);
    if (value === undefined)
      throw invalidParameter(
        `1 validation error detected: Value null at '${camel(name)}' failed to satisfy constraint: Member must not be null`,
      );
    return value;
  }

  public optionalString(name: string, maxLength = 2048): string | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalidParameter(`${name} must be a string`);
    if (value.length === 0)
      throw invalidParameter(
        `1 validation error detected: Value at '${camel(name)}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    if (value.length > maxLength)
      throw invalidParameter(
        `1 validation error detected: Value at '${camel(name)}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
      );
    return value;
  }

  public optionalBoolean(name: string): boolean | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw invalidParameter(`${name} must be a boolean`);
    return value;
  }

  public optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw invalidParameter(
        `1 validation error detected: Value '${String(value).slice(0, 20)}' at '${camel(name)}' failed to satisfy constraint: Member must be an integer from ${min} to ${max}`,
      );
    return value;
  }

  /** A string-to-string map (AuthParameters, ChallengeResponses, ClientMetadata). */
  public map(name: string, maxEntries = 64, maxValueLength = 131_072): Record<string, string> {
    const value = this.body[name];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`${name} must be a map`);
    const entries = Object.entries(value as Json);
    if (entries.length > maxEntries) throw invalidParameter(`${name} has more than ${maxEntries} entries`);
    const result: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, entry] of entries) {
      if (typeof entry !== 'string' || entry.length > maxValueLength || key.length > 512)
        throw invalidParameter(
          `${name}.${key.slice(0, 64)} must be a string of at most ${maxValueLength} characters`,
        );
      result[key] = entry;
    }
    return result;
  }

  /** `[{Name, Value}]` (UserAttributes, ValidationData). */
  public attributes(name: string): Record<string, string> {
    const value = this.body[name];
    if (value === undefined || value === null) return {};
    if (!Array.isArray(value) || value.length > 100)
      throw invalidParameter(`${name} must be a list of at most 100 {Name, Value}`);
    const result: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const item of value as unknown[]) {
      const { Name, Value } = (item ?? {}) as Json;
      if (typeof Name !== 'string' || Name.length < 1 || Name.length > 32)
        throw invalidParameter(`${name}: every attribute needs a Name of 1-32 characters`);
      if (Value !== undefined && (typeof Value !== 'string' || Value.length > 2048))
        throw invalidParameter(
          `${name}: attribute ${Name} must have a string Value of at most 2048 characters`,
        );
      result[Name] = (Value as string | undefined) ?? '';
    }
    return result;
  }
}

/** `AuthParameters.USERNAME` -> `uSERNAME` would be wrong; AWS names members in camel case: `UserPoolId` -> `userPoolId`. */
function camel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A required key of AuthParameters / ChallengeResponses: Cognito's own wording ("Missing required parameter"). */
export function required(map: Record<string, string>, key: string): string {
  const value = map[key];
  if (value === undefined || value === '') throw invalidParameter(`Missing required parameter ${key}`);
  return value;
}
