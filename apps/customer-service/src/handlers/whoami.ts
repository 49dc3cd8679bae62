import { httpHandler } from '@sigv4-auth/lambda-http';
import { logger } from '../logger';
import { whoamiRoute } from './whoami-route';

export const handler = httpHandler(logger, whoamiRoute);
