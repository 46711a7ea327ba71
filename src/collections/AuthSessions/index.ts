import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { invalidateCaches } from '../../cache/invalidation.js'
import { adminOnly, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

/** Why a session ended (the `endReason` of its row). */
export const sessionEndReasons = [
  { label: 'Logout', value: 'logout' },
  { label: 'Revoked by the user', value: 'revoked' },
  { label: 'Revoked with the user’s other sessions', value: 'revoked_others' },
  { label: 'Password change', value: 'password_change' },
  { label: 'Account deactivated', value: 'deactivated' },
  { label: 'Revoked by an admin', value: 'admin' },
  { label: 'Too many sessions', value: 'max_sessions' },
  { label: 'Refresh token reuse', value: 'reuse' },
] as const

export type SessionEndReason = (typeof sessionEndReasons)[number]['value']

/** What a session's credentials are: an API token, a cookie session, a JWT refresh family. */
export const sessionKinds = ['token', 'session', 'jwt'] as const

export type SessionKind = (typeof sessionKinds)[number]

/**
 * One row per completed login, whatever it issued: the API token, the cookie session and the JWT
 * refresh family of that login point to it (their `session` field holds its `publicId`) and JWTs
 * carry it as `sid`. The public id is random and is all a client ever sees of it; ending the row
 * ends every credential that hangs on it (src/sessions/endSessions.ts).
 */
export const authSessionsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.sessions,
  access: {
    create: () => false,
    // Ending a session (which revokes its credentials) goes through the API, never a raw write.
    delete: adminOnly(options),
    read: adminOrOwnRows(options),
    update: () => false,
  },
  admin: {
    defaultColumns: ['device', 'user', 'kinds', 'lastSeenAt', 'endedAt', 'createdAt'],
    description: 'One row per login. Users end theirs through sessions/; admins on the user’s page.',
    group: 'Authentication',
    useAsTitle: 'device',
  },
  fields: withFieldTexts('authSessions', [
    { name: 'publicId', type: 'text', admin: { readOnly: true }, index: true, required: true, unique: true },
    { ...userField(options), admin: { readOnly: true } },
    {
      name: 'kinds',
      type: 'select',
      admin: { readOnly: true },
      hasMany: true,
      options: [
        { label: 'API token', value: 'token' },
        { label: 'Cookie session', value: 'session' },
        { label: 'JWT', value: 'jwt' },
      ],
    },
    { name: 'device', type: 'text', admin: { readOnly: true } },
    { name: 'userAgent', type: 'text', admin: { readOnly: true } },
    { name: 'ipAddress', type: 'text', admin: { readOnly: true } },
    { name: 'methods', type: 'json', admin: { readOnly: true } },
    { name: 'authenticatedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true }, required: true },
    { name: 'lastSeenAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
    { name: 'expiresAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true }, index: true },
    { name: 'endedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true }, index: true },
    { name: 'endReason', type: 'select', admin: { readOnly: true }, options: sessionEndReasons.map((reason) => ({ ...reason })) },
  ]),
  hooks: {
    afterDelete: [
      async ({ doc, req }) => {
        const { publicId } = doc as { publicId?: string }
        if (publicId) {
          await invalidateCaches({ message: { kind: 'session', publicId }, options, payload: req.payload })
        }
      },
    ],
  },
  graphQL: { pluralName: 'RestAuthSessions', singularName: 'RestAuthSession' },
  labels: { plural: 'Sessions', singular: 'Session' },
  timestamps: true,
})
