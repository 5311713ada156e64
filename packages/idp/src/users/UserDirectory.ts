import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { IdpLogger } from '../logger';
import { DEMO_USERS } from './demoUsers';
import { hashPassword, UNUSABLE_HASH, verifyPassword } from './passwords';
import { emailFor, parseUsersFile, userIdFor, USERS_FILE_NOTE } from './usersFile';
import { IdpUser } from './types';

export class UsersFileError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'UsersFileError';
  }
}

/**
 * The users of `<dataDir>/idp/users.json`. The file is read again whenever its text changed, so an
 * edit (a user taken out of a group, a new password hash) applies at that user's next sign-in or
 * token refresh without a restart. An edit that breaks the file is logged and the last good
 * version stays in force, so a typo never signs everybody out.
 */
export class UserDirectory {
  private text = '';
  private users: IdpUser[] = [];

  /** Opens the file, seeding it with the demo users when it does not exist yet. */
  static async open(options: { file: string; logger: IdpLogger }): Promise<UserDirectory> {
    if (!existsSync(options.file)) await seed(options.file);
    const directory = new UserDirectory(options.file, options.logger);
    const text = readFileSync(options.file, 'utf8');
    const parsed = parseUsersFile(text);
    if (!parsed.ok) throw new UsersFileError(options.file, parsed.message);
    directory.text = text;
    directory.users = parsed.users;
    return directory;
  }

  private constructor(readonly file: string, private readonly logger: IdpLogger) {}

  /** The current users; cheap enough to call per request (one small file read). */
  list(): IdpUser[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.logger.error('users file unreadable; keeping the last good version', {
        file: this.file,
        error: String(error),
      });
      return this.users;
    }
    if (text === this.text) return this.users;
    this.text = text;
    const parsed = parseUsersFile(text);
    if (!parsed.ok) {
      this.logger.error('users file invalid; keeping the last good version', {
        file: this.file,
        problem: parsed.message,
      });
      return this.users;
    }
    this.users = parsed.users;
    this.logger.info('users file reloaded', { file: this.file, users: parsed.users.length });
    return this.users;
  }

  findById(id: string): IdpUser | undefined {
    return this.list().find(u => u.id === id);
  }

  /** The user when the password matches; unknown users cost as much time as known ones. */
  async authenticate(username: string, password: string): Promise<IdpUser | undefined> {
    const user = this.list().find(u => u.username === username);
    const ok = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_HASH);
    return ok ? user : undefined;
  }
}

async function seed(file: string): Promise<void> {
  const users: IdpUser[] = [];
  for (const demo of DEMO_USERS) {
    users.push({
      id: userIdFor(demo.username),
      username: demo.username,
      name: demo.name,
      email: emailFor(demo.username, demo.organization),
      ...(demo.organization ? { organization: demo.organization } : {}),
      role: demo.role,
      groups: [...demo.groups],
      passwordHash: await hashPassword(demo.password),
    });
  }
  mkdirSync(dirname(file), { recursive: true });
  // Written whole and renamed into place: a crash mid-seed never leaves half a file behind.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ note: USERS_FILE_NOTE, users }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}
