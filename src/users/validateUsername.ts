import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { localApi } from '../utilities/localApi.js'
import { usernameIdentifier } from './findUser.js'
import { normalizeUsername } from './normalizeUsername.js'

// Django's UnicodeUsernameValidator: letters, digits and @ . + - _
const usernamePattern = /^[\p{L}\p{N}_.@+-]+$/u

/** Django's UnicodeUsernameValidator, on the normalised form the name is stored in. */
export const isValidUsername = (username: string): boolean => usernamePattern.test(normalizeUsername(username))

/** The username's error messages (format, then uniqueness), empty when it may be used; both judge its normalised form. */
export const validateUsername = async ({
  exceptUserId,
  options,
  req,
  username,
}: {
  exceptUserId?: number | string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  username: string
}): Promise<string[]> => {
  if (!isValidUsername(username)) {
    return [messages.account.invalidUsername]
  }
  const { totalDocs } = await localApi(req.payload).count({
    collection: options.usersCollection,
    overrideAccess: true,
    req,
    where: {
      and: [
        { username: { equals: usernameIdentifier(username) } },
        ...(exceptUserId !== undefined ? [{ id: { not_equals: exceptUserId } }] : []),
      ],
    },
  })
  return totalDocs > 0 ? [messages.account.usernameTaken] : []
}
