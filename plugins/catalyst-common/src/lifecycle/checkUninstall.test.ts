import fixture from '../__fixtures__/lifecycle/uninstall-cases.yaml';
import { UninstallSubject, checkUninstall } from './checkUninstall';

type Case = {
  name: string;
  app: string;
  code?: string;
  dependents?: string[];
  orphans?: string[];
};
const { environment, cases } = fixture as unknown as {
  environment: UninstallSubject[];
  cases: Case[];
};

describe('checkUninstall', () => {
  it.each(cases)('$name', c => {
    const r = checkUninstall(environment, c.app);
    expect(r.ok ? { orphans: r.orphans } : { code: r.errors[0].code, dependents: r.dependents }).toEqual(
      c.code ? { code: c.code, dependents: c.dependents } : { orphans: c.orphans },
    );
  });

  it('lists the dependents in the message', () => {
    const r = checkUninstall(environment, 'shared-redis');
    expect(r.ok ? '' : r.errors[0].message).toBe(
      'shared-redis is used by blog, marketing-site; uninstall or reconfigure them first',
    );
  });
});
