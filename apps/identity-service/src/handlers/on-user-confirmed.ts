import { customerServiceClient, logger } from '../config';
import { onUserConfirmedTrigger } from './triggers';

export const handler = onUserConfirmedTrigger({ customers: customerServiceClient, logger });
