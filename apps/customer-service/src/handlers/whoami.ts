import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger } from '../config';
import { whoamiRoute } from './routes';

export const handler = httpHandler(logger, whoamiRoute);
