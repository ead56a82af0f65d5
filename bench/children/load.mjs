// The load generator, a process of its own so that its work never competes with the measured server's event loop.
// Started with fork(); receives one job over IPC, answers with autocannon's figures. A job with `untilStopped`
// runs until the parent sends 'stop' (bounded anyway by its duration). Plain JavaScript: nothing to transpile.
import autocannon from 'autocannon';

process.once('message', (job) => {
  const requests = job.requests;
  let next = 0;
  const options = {
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    timeout: job.timeoutSeconds ?? 30,
    headers: job.headers ?? {},
    method: job.method ?? 'GET',
    body: job.body,
    pipelining: 1,
  };
  if (requests) {
    // one distinct request each (the W1 submits), for the duration (autocannon's `amount` would ignore it); used
    // up, they start again and their repeats are refused (409): counted as errors and reported as exhausted
    options.connections = Math.min(job.connections, requests.length);
    options.requests = [
      {
        setupRequest: (request) => {
          const entry = requests[next++ % requests.length];
          return {
            ...request,
            method: entry.method,
            path: entry.path,
            body: entry.body,
            headers: { ...request.headers, ...entry.headers },
          };
        },
      },
    ];
  }
  const started = performance.now();
  const instance = autocannon(options, (error, result) => {
    if (error) {
      process.send({ error: String(error) }, () => process.exit(1));
      return;
    }
    const elapsed = (performance.now() - started) / 1000;
    const ok = result['2xx'];
    process.send(
      {
        elapsedSeconds: elapsed,
        requests: result.requests.total,
        ok,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        rate: ok / elapsed,
        latency: {
          mean: result.latency.mean,
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
        },
        statusCodes: result.statusCodeStats,
        exhausted: requests ? next > requests.length : false,
      },
      () => process.exit(0),
    );
  });
  process.on('message', (message) => {
    if (message === 'stop') instance.stop();
  });
  process.send('started');
});
