import type { PostConfirmationTriggerEvent } from 'aws-lambda';

/** A user's attributes as Cognito passes them to a trigger (`sub`, `email`, `email_verified`, `name`, ...). */
export type UserAttributes = PostConfirmationTriggerEvent['request']['userAttributes'];

/** What identity-service sends to customer-service's `PUT /customers/{id}` for a confirmed user. */
export interface CustomerRecord {
  /** The user's Cognito `sub`: the customer id. */
  id: string;
  name: string;
  email: string;
}

/** customer-service's longest name (Cognito lets `name` be 2048 characters). */
const MAX_NAME_LENGTH = 200;

/**
 * The customer record of a user, from the attributes Cognito passes a trigger. The name is the `name` attribute
 * (cut to customer-service's 200 characters, so a long name cannot make every confirmation fail), or the email's
 * local part when the user gave none. customer-service validates both as for any caller.
 */
export function customerRecordOf(attributes: UserAttributes): CustomerRecord {
  const { sub, email } = attributes;
  if (!sub) throw new Error('The user has no sub attribute');
  if (!email) throw new Error('The user has no email attribute');
  const name = attributes.name?.trim() || email.slice(0, email.lastIndexOf('@'));
  return { id: sub, name: [...name].slice(0, MAX_NAME_LENGTH).join('').trim(), email };
}
