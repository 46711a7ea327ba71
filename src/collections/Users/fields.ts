import type { Field } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { djangoIdField, djangoPasswordField } from '../../passwords/django/field.js'
import { adminOnlyField } from '../access.js'

const nobody = () => false

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
  {
    name: djangoIdField,
    type: 'text',
    access: { create: nobody, read: adminOnlyField(options), update: nobody },
    admin: { description: 'Primary key of the user in the Django database it was imported from.', position: 'sidebar', readOnly: true },
    index: true,
    unique: true,
  },
  // Never readable: hidden from every API answer, and no field access lets anyone read or write it.
  { name: djangoPasswordField, type: 'text', access: { create: nobody, read: nobody, update: nobody }, hidden: true },
]
