import type { Redis } from 'ioredis';

/**
 * Makes `redis` write the commands it is given during one event-loop turn in one system call: the first command of a
 * turn corks the connection's socket and a `setImmediate` (the check phase, right after the poll phase whose callbacks
 * issued them) uncorks it, so Node writes them with one writev, in order. ioredis writes every command as it comes —
 * on the adapter's publishing connection one write per broadcast, the largest item of the gateway's profile after
 * the sockets' own writes (docs/benchmarks.md). Replies and their order are untouched; an idle gateway adds one loop
 * turn (microseconds) to a publish. ioredis' own auto-pipelining flushes on process.nextTick, which comes after each
 * callback, so it does not gather the broadcasts of several NATS events delivered in the same turn.
 */
export function corkedPerTurn(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  let corked: Redis['stream'] | null = null;
  const uncork = () => {
    const stream = corked;
    corked = null;
    stream?.uncork();
  };
  redis.sendCommand = (command, stream) => {
    const socket = redis.stream;
    if (corked === null && socket && socket.writable) {
      corked = socket;
      socket.cork();
      setImmediate(uncork);
    }
    return send(command, stream);
  };
  return redis;
}
