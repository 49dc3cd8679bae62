export { FaultInjector, FaultInputError, type Fault, type FaultMode } from './fault-injector';
