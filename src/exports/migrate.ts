export { DjangoDumpError, importDjangoDump } from '../migrate/django/importDjangoDump.js'
export type { DjangoImportReport, ImportDjangoDumpArgs, ImportProblem, RowCounts } from '../migrate/django/importDjangoDump.js'
export type { DumpRecord } from '../migrate/django/dump.js'
