import type { SupervisionSettings } from '../contract/supervision.js';
import type { WarningRulesUpdate } from '../contract/warning-rules.js';
import { findWarningRules } from '../db/repositories/supervision.js';
import type { Executor } from '../db/schema.js';
import { mergeLightRules, type LightRules } from '../domain/lights.js';

/**
 * What the office changed of a plan's warning rules and supervision settings, as stored. Apart from the supervision
 * service so that the summary tables, which every command may load, read the rules without its API contract.
 */
export interface StoredRules {
  lights?: WarningRulesUpdate;
  supervision?: Partial<SupervisionSettings>;
}

export async function storedRules(db: Executor, planId: number): Promise<StoredRules> {
  const text = await findWarningRules(db, planId);
  return text ? (JSON.parse(text) as StoredRules) : {};
}

/** A plan's warning rules as they apply (the office's changes over the defaults). */
export async function lightRulesOfPlan(db: Executor, planId: number): Promise<LightRules> {
  return mergeLightRules((await storedRules(db, planId)).lights ?? {});
}
