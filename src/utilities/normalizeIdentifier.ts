/** Payload stores usernames and e-mail addresses lower-cased and trimmed. */
export const normalizeIdentifier = (value: string): string => value.toLowerCase().trim()
