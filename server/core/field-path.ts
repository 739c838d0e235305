/** A validation issue's path as a person writes it: `channels[0].sampleRate`, `[0].weights[3].dtype`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
