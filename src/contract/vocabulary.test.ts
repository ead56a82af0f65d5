import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS as DOCUMENT_EXPORT_FORMATS, IMPORT_FORMATS as DOCUMENT_IMPORT_FORMATS } from '../documents/index.js';
import { LIGHT_LABELS } from '../domain/lights.js';
import { ORGANISATION_KINDS as DOMAIN_KINDS } from '../domain/organisations.js';
import { REPORT_EVENTS as DOMAIN_EVENTS, REPORT_STATUSES as DOMAIN_STATUSES } from '../domain/reporting.js';
import { ROLES as DOMAIN_ROLES } from '../domain/roles.js';
import { NOT_REPORTED as SERVICE_NOT_REPORTED } from '../services/city-summary.js';
import {
  EXPORT_FORMATS,
  IMPORT_FORMATS,
  LIGHTS,
  NOT_REPORTED,
  ORGANISATION_KINDS,
  REPORT_EVENTS,
  REPORT_STATUSES,
  ROLES,
} from './vocabulary.js';

// The contract owns each list; the domain, documents and services layers take the very same arrays from it, so the
// API, the rules and the pages can never disagree on a word or on the order of choices.
describe('the contract vocabulary', () => {
  it('is what the domain, the documents layer and the services use, the same arrays', () => {
    expect(ROLES).toBe(DOMAIN_ROLES);
    expect(ORGANISATION_KINDS).toBe(DOMAIN_KINDS);
    expect(REPORT_STATUSES).toBe(DOMAIN_STATUSES);
    expect(REPORT_EVENTS).toBe(DOMAIN_EVENTS);
    expect(EXPORT_FORMATS).toBe(DOCUMENT_EXPORT_FORMATS);
    expect(IMPORT_FORMATS).toBe(DOCUMENT_IMPORT_FORMATS);
    expect(NOT_REPORTED).toBe(SERVICE_NOT_REPORTED);
    expect([...LIGHTS].sort()).toEqual(Object.keys(LIGHT_LABELS).sort());
  });
});
