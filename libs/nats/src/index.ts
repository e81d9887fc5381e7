export * from './nats-transport';
export * from './nats.module';
export * from './correlation';
