// Runs the graphql-http project's server audit (GraphQL over HTTP conformance) against a live
// Flagbearer API and prints one JSON object: counts by status and every result that is not ok.
// Usage: FLAGBEARER_AUDIT_KEY=fbk_… node audit.mjs http://127.0.0.1:PORT/graphql
// The key goes in every request's Authorization header: the endpoint refuses anonymous callers.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const key = process.env.FLAGBEARER_AUDIT_KEY;
if (!url || !key) {
  console.error('usage: FLAGBEARER_AUDIT_KEY=<key> node audit.mjs <graphql url>');
  process.exit(2);
}

function withKey(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: withKey });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const problems = [];
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  if (result.status !== 'ok') {
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      body = '(body already read)';
    }
    problems.push({
      id: result.id,
      name: result.name,
      status: result.status,
      reason: result.reason,
      httpStatus: result.response.status,
      contentType: result.response.headers.get('content-type'),
      body: body.slice(0, 300),
    });
  }
}
console.log(JSON.stringify({ total: results.length, counts, problems }, null, 2));
