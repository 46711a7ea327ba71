import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { normalizeIdentifier } from './findUser.js'
import { localApi } from '../utilities/localApi.js'

// Django's UnicodeUsernameValidator: letters, digits and @ . + - _
const usernamePattern = /^[\p{L}\p{N}_.@+-]+$/u

export const isValidUsername = (username: string): boolean => usernamePattern.test(username)

/** The username's error messages (format, then uniqueness), empty when it may be used. */
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
    return [messages.invalidUsername]
  }
  const { totalDocs } = await localApi(req.payload).count({
    collection: options.usersCollection,
    overrideAccess: true,
    req,
    where: {
      and: [
        { username: { equals: normalizeIdentifier(username) } },
        ...(exceptUserId !== undefined ? [{ id: { not_equals: exceptUserId } }] : []),
      ],
    },
  })
  return totalDocs > 0 ? [messages.usernameTaken] : []
}
