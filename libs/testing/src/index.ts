export * from './wait-for';
export * from './isolation';
export * from './service-process';
export * from './stack';
export * from './twilio-client';
export * from './tcp-balancer';
export * from './chat-fixture';
export * from './resource-fixtures';
