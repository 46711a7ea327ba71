/**
 * Where an imported user's Django password hash waits for the first login that converts it: a hidden
 * text field of the users collection that nobody can read, create or update through the API.
 */
export const djangoPasswordField = 'django_password' as const

/** The imported user's primary key in the Django database: what makes a second import a no-op. */
export const djangoIdField = 'django_id' as const
