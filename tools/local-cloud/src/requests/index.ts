export {
  iamDecision,
  loggableMessage,
  refusedBy,
  type DecisionCheck,
  type RequestDecision,
} from './decision';
export {
  parseRequestFilter,
  RequestLog,
  type LoggedRequest,
  type RequestFilter,
  type ServiceName,
  type ServiceRequestEntry,
} from './request-log';
export { actionOf, errorOf } from './service-answers';
