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

// The contract keeps its own copy of each list so that it imports nothing; these must stay the lists the rest of
// the application works with, word for word and in order (the order is the order of choices on the pages).
describe('the contract vocabulary', () => {
  it('is the domain’s, the documents layer’s and the services’ lists', () => {
    expect(ROLES).toEqual(DOMAIN_ROLES);
    expect(ORGANISATION_KINDS).toEqual(DOMAIN_KINDS);
    expect(REPORT_STATUSES).toEqual(DOMAIN_STATUSES);
    expect(REPORT_EVENTS).toEqual(DOMAIN_EVENTS);
    expect(EXPORT_FORMATS).toEqual(DOCUMENT_EXPORT_FORMATS);
    expect(IMPORT_FORMATS).toEqual(DOCUMENT_IMPORT_FORMATS);
    expect(NOT_REPORTED).toBe(SERVICE_NOT_REPORTED);
    expect([...LIGHTS].sort()).toEqual(Object.keys(LIGHT_LABELS).sort());
  });
});
