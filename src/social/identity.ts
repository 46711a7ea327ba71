import { isValidEmail } from '../http/fields.js'
import { normalizeIdentifier } from '../utilities/normalizeIdentifier.js'

const NAME_MAX = 150

/** A string field of a profile, or ''. */
export const textOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '')

/** allauth's valid_email_or_none, lower-cased as Payload stores addresses. */
export const emailOf = (value: unknown): string | undefined => {
  const email = normalizeIdentifier(textOf(value))
  return email && isValidEmail(email) ? email : undefined
}

/** allauth's populate_user: given and family name, else the display name split at its first space. */
export const namesOf = ({
  familyName,
  fullName,
  givenName,
}: {
  familyName?: unknown
  fullName?: unknown
  givenName?: unknown
}): { firstName: string; lastName: string } => {
  const [first = '', ...rest] = textOf(fullName).split(' ')
  return {
    firstName: (textOf(givenName) || first).slice(0, NAME_MAX),
    lastName: (textOf(familyName) || rest.join(' ')).slice(0, NAME_MAX),
  }
}

/** A provider's account id as the `uid` column stores it. */
export const uidOf = (value: unknown): string =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : textOf(value)
