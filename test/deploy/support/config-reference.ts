// The configuration variables of Parley's services (DESIGN.md; validated at boot by libs/config), as the deployment
// files must carry them: .env.example, docker-compose.yml, the Kubernetes ConfigMaps/Secret and docs/deploying.md.
export type ServiceName = 'api-gateway' | 'realtime-gateway' | 'message-service' | 'presence-service';

export const SERVICES: ServiceName[] = ['api-gateway', 'realtime-gateway', 'message-service', 'presence-service'];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'api-gateway': 3000,
  'realtime-gateway': 3001,
  'message-service': 3010,
  'presence-service': 3020,
};

export interface ConfigVar {
  name: string;
  readBy: ServiceName[];
  /** Must be given (no usable default outside dev). */
  secret?: boolean;
  /** Optional everywhere (has a derived default). */
  optional?: boolean;
}

export const CONFIG_VARS: ConfigVar[] = [
  { name: 'NODE_ENV', readBy: SERVICES },
  { name: 'LOG_LEVEL', readBy: SERVICES },
  { name: 'NODE_ID', readBy: SERVICES, optional: true },
  { name: 'PORT', readBy: SERVICES },
  { name: 'NATS_URL', readBy: SERVICES },
  { name: 'NATS_SUBJECT_PREFIX', readBy: SERVICES },
  { name: 'SHUTDOWN_TIMEOUT_MS', readBy: SERVICES },
  { name: 'DATABASE_URL', readBy: ['message-service'], secret: true },
  { name: 'DATABASE_POOL_SIZE', readBy: ['message-service'] },
  { name: 'PARLEY_ACCOUNT_SID', readBy: ['message-service'], secret: true },
  { name: 'PARLEY_AUTH_TOKEN', readBy: ['message-service'], secret: true },
  { name: 'PARLEY_SECRET_KEY', readBy: ['message-service'], secret: true },
  { name: 'PARLEY_PUBLIC_URL', readBy: ['api-gateway'] },
  { name: 'REST_RATE_LIMIT_PER_SECOND', readBy: ['api-gateway'] },
  { name: 'REDIS_URL', readBy: ['realtime-gateway', 'presence-service'] },
  { name: 'REDIS_KEY_PREFIX', readBy: ['realtime-gateway', 'presence-service'] },
  { name: 'PRESENCE_NODE_TTL_MS', readBy: ['presence-service'] },
];

export const CONFIG_NAMES = new Set(CONFIG_VARS.map((v) => v.name));

export const SECRET_KEYS = CONFIG_VARS.filter((v) => v.secret).map((v) => v.name);

/** Formats of the credentials (DESIGN.md section 6 and the brief of .env.example). */
export const CREDENTIAL_FORMATS: Record<string, RegExp> = {
  PARLEY_ACCOUNT_SID: /^AC[0-9a-f]{32}$/,
  PARLEY_AUTH_TOKEN: /^[0-9a-f]{32}$/,
  PARLEY_SECRET_KEY: /^[0-9a-f]{64}$/,
  DATABASE_URL: /^postgres(ql)?:\/\/[^\s]+$/,
};
