/** Query parameters whose values are secrets (`?token=`, `?access_token=`, `?api_key=`, `?session=` ...). */
const SECRET_PARAMETER = /token|key|secret|password|passwd|session|auth|signature|code|credential/i;

/**
 * A request URL fit for a log line: the value of every query parameter that may carry a secret replaced, the
 * rest (path and other parameters) kept as they came, so the line still says what was asked.
 */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // A malformed name is judged as written.
      }
      return equals >= 0 && SECRET_PARAMETER.test(decoded) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, queryAt)}?${query.join('&')}`;
}

/** The parsed query of a request, with the same parameters' values replaced. */
export function redactQuery(query: unknown): unknown {
  if (query === null || typeof query !== 'object') return query;
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, SECRET_PARAMETER.test(name) ? '[redacted]' : value]));
}
