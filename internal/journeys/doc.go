// Package journeys holds end-to-end tests, one journey per role. Each journey starts the real
// product with `pingan serve --demo` in a fresh data folder, on SQLite and on PostgreSQL, and
// drives headless Chromium through the pages by links, buttons and forms, as that person would.
// The package has tests only. The audit administrator's journey runs the other journeys first
// and then finds their records in the audit trail.
package journeys
