import { describe, expect, it } from 'vitest';
import { ConfigError, databaseOptions, loadConfig } from './config.js';

describe('database settings', () => {
  it('sizes the PostgreSQL pool and the SQLite commit groups from the environment, with defaults', () => {
    expect(databaseOptions(loadConfig({}))).toEqual({ poolSize: 10, groupCommit: { maxMembers: 64, maxOpenMs: 10 } });
    const config = loadConfig({ LUOSHI_DATABASE_POOL_SIZE: '24', LUOSHI_SQLITE_GROUP_MAX: '1', LUOSHI_SQLITE_GROUP_MAX_MS: '0' });
    expect(databaseOptions(config)).toEqual({ poolSize: 24, groupCommit: { maxMembers: 1, maxOpenMs: 0 } });
  });

  it('reports every bad database setting together', () => {
    let problems: string[] = [];
    try {
      loadConfig({ LUOSHI_DATABASE_POOL_SIZE: '0', LUOSHI_SQLITE_GROUP_MAX: 'many' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([expect.stringContaining('LUOSHI_DATABASE_POOL_SIZE'), expect.stringContaining('LUOSHI_SQLITE_GROUP_MAX')]);
  });
});
