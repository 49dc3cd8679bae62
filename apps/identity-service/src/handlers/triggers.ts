import type { Logger } from '@sigv4-auth/lambda-http';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import type { CustomerServiceClient } from '../clients/customer-service-client';
import { customerRecordOf } from '../domain/customer-record';

export interface OnUserConfirmedDependencies {
  /** Called only when there is a record to write (a warm environment reuses one client). */
  customers: () => CustomerServiceClient;
  logger: Logger;
}

export type PostConfirmationTrigger = (
  event: PostConfirmationTriggerEvent,
  context: Pick<Context, 'awsRequestId'>,
) => Promise<PostConfirmationTriggerEvent>;

/**
 * The user pool's PostConfirmation trigger. When a user confirms their sign-up it writes their customer record
 * (customer id = `sub`) with customer-service's `PUT /customers/{sub}`; a confirmed forgotten password changes
 * nothing. It returns the event unchanged, as Cognito requires, and throws when the record could not be written,
 * so that Cognito fails the confirmation.
 */
export function onUserConfirmedTrigger({
  customers,
  logger,
}: OnUserConfirmedDependencies): PostConfirmationTrigger {
  return async (event, context) => {
    // Identifiers only: the attributes hold the user's personal data.
    const log = logger.child({
      requestId: context.awsRequestId,
      triggerSource: event.triggerSource,
      userPoolId: event.userPoolId,
      clientId: event.callerContext?.clientId,
      customerId: event.request.userAttributes.sub,
    });
    if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') {
      log.info('nothing to do for this trigger source');
      return event;
    }
    try {
      const outcome = await customers().putCustomer(customerRecordOf(event.request.userAttributes), log);
      log.info(outcome === 'created' ? 'customer record created' : 'customer record replaced');
    } catch (error) {
      log.error('confirmation failed: no customer record', { error });
      throw error;
    }
    return event;
  };
}
