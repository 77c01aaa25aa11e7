// A SIEM receiver for the delivery tests, on 127.0.0.1: records every request (headers, parsed
// events) and answers by mode: 'ok' (200), 'fail' (503) or an answer function; close() and
// reopen() take it off the port and back on the same port (an outage the sender sees as refused
// connections).
import http from 'node:http';
import https from 'node:https';

export async function startReceiver({ tls } = {}) {
  const r = {
    requests: [],
    mode: 'ok',
    port: 0,
    answer: null, // (req, events) => status | {status, delay}, overrides mode
  };
  const handler = (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let events;
      if (req.headers['content-type'] === 'application/cloudevents-batch+json') events = JSON.parse(body);
      else events = body.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const a = r.answer ? r.answer(req, events) : r.mode === 'ok' ? 200 : 503;
      const { status, delay = 0 } = typeof a === 'object' ? a : { status: a };
      r.requests.push({ headers: req.headers, url: req.url, body, events, status });
      setTimeout(() => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(status === 200 ? '{"text":"Success","code":0}' : '{"error":"try later"}');
      }, delay);
    });
  };
  let server;
  const listen = (port) => new Promise((resolve, reject) => {
    server = tls ? https.createServer(tls, handler) : http.createServer(handler);
    server.keepAliveTimeout = 60000;
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      r.port = server.address().port;
      resolve();
    });
  });
  await listen(0);
  r.url = (path = '/ingest') => `${tls ? 'https' : 'http'}://127.0.0.1:${r.port}${path}`;
  r.close = () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  r.reopen = () => listen(r.port);
  // The events of acknowledged requests, in arrival order.
  r.acked = () => r.requests.filter((q) => q.status === 200).flatMap((q) => q.events);
  return r;
}
