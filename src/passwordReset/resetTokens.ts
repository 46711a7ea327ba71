import type { Payload } from 'payload'

import { createHmac } from 'node:crypto'

import { now } from '../utilities/clock.js'
import { safeEqual } from '../utilities/crypto.js'

/*
 * Django's PasswordResetTokenGenerator: "<timestamp in base 36>-<HMAC>", the HMAC over the user's
 * id, password hash, last login, e-mail and the timestamp. Stateless and single-use: setting a
 * password or logging in changes the hashed value, so the link dies with it.
 */

const EPOCH_2001 = Date.UTC(2001, 0, 1)

type ResetUser = {
  email?: null | string
  hash?: null | string
  id: number | string
  last_login?: null | string
  salt?: null | string
}

const secondsSince2001 = (ms: number): number => Math.floor((ms - EPOCH_2001) / 1000)

const hashValue = (user: ResetUser, timestamp: number): string => {
  const lastLogin = user.last_login ? String(Math.floor(new Date(user.last_login).getTime() / 1000)) : ''
  return `${user.id}|${user.hash ?? ''}${user.salt ?? ''}|${lastLogin}|${timestamp}|${user.email ?? ''}`
}

const sign = (secret: string, user: ResetUser, timestamp: number): string => {
  const key = createHmac('sha256', secret).update('payload-rest-auth.password-reset').digest()
  const digest = createHmac('sha256', key).update(hashValue(user, timestamp)).digest('hex')
  // Django keeps every second character: 32 of 64.
  const halved = [...digest].filter((_, index) => index % 2 === 0).join('')
  return `${timestamp.toString(36)}-${halved}`
}

export const makeResetToken = (payload: Payload, user: ResetUser): string =>
  sign(payload.secret, user, secondsSince2001(now()))

export const checkResetToken = (payload: Payload, user: ResetUser, token: string, timeoutSeconds: number): boolean => {
  const match = /^([0-9a-z]{1,13})-([0-9a-f]{32})$/.exec(token)
  if (!match) {
    return false
  }
  const timestamp = parseInt(match[1]!, 36)
  if (!Number.isSafeInteger(timestamp) || !safeEqual(sign(payload.secret, user, timestamp), token)) {
    return false
  }
  const age = secondsSince2001(now()) - timestamp
  return age >= 0 && age <= timeoutSeconds
}
