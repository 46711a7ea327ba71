/** An absolute http(s) URL; `{origin}` at its start stands for one. */
export const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value.replace('{origin}', 'http://localhost')).protocol)
  } catch {
    return false
  }
}
