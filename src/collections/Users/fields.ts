import type { Field } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { adminOnlyField } from '../access.js'

/** Django's User columns that dj-rest-auth exposes or relies on. */
export const userFields = (options: SanitizedRestAuthOptions): Field[] => [
  { name: 'first_name', type: 'text', defaultValue: '', maxLength: 150 },
  { name: 'last_name', type: 'text', defaultValue: '', maxLength: 150 },
  {
    name: 'is_active',
    type: 'checkbox',
    access: { create: adminOnlyField(options), update: adminOnlyField(options) },
    admin: { description: 'Inactive users cannot log in; their tokens stop working.', position: 'sidebar' },
    defaultValue: true,
  },
  {
    name: 'is_staff',
    type: 'checkbox',
    access: { create: adminOnlyField(options), update: adminOnlyField(options) },
    admin: { description: 'Staff can use the admin panel and administer the API.', position: 'sidebar' },
    defaultValue: false,
  },
  {
    name: 'last_login',
    type: 'date',
    admin: { date: { pickerAppearance: 'dayAndTime' }, position: 'sidebar', readOnly: true },
  },
]
