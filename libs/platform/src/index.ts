export * from './bootstrap';
export * from './logger';
export * from './metrics';
export * from './platform.module';
export * from './readiness';
