import { ReactElement } from 'react';
import type { ApiHolder } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ApplicationSummary, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { CatalystApi, catalystApiRef } from '../../api';

/** A CatalystApi with only the given methods; any other call fails the test. */
export function fakeCatalystApi(methods: Partial<CatalystApi>): CatalystApi {
  return new Proxy(methods as CatalystApi, {
    get: (target, name: string) =>
      name in target
        ? target[name as keyof CatalystApi]
        : () => Promise.reject(new Error(`${name} was not expected in this test`)),
  });
}

/** Never settles: the loading state stays. */
export const pending = <T,>() => new Promise<T>(() => {});

/** Props the scaffolder's form gives a field extension; `wizard` is what the earlier steps collected. */
export function fieldProps<T, O = {}>(p: {
  formData?: T;
  uiOptions?: O;
  schema?: Record<string, unknown>;
  wizard?: Record<string, unknown>;
  required?: boolean;
  rawErrors?: string[];
}): FieldExtensionComponentProps<T, O> & { onChange: jest.Mock } {
  const props = {
    formData: p.formData,
    onChange: jest.fn(),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    schema: { type: 'string', ...p.schema },
    uiSchema: p.uiOptions ? { 'ui:options': p.uiOptions } : {},
    idSchema: { $id: 'root_field' },
    formContext: { formData: p.wizard ?? {} },
    rawErrors: p.rawErrors ?? [],
    required: p.required ?? false,
    disabled: false,
    readonly: false,
    name: 'field',
    registry: {},
  };
  return props as unknown as FieldExtensionComponentProps<T, O> & { onChange: jest.Mock };
}

export function renderField(element: ReactElement, api: CatalystApi) {
  return renderInTestApp(<TestApiProvider apis={[[catalystApiRef, api]]}>{element}</TestApiProvider>);
}

/** What a custom field validator gets: a sink for errors and an api holder with the fake. */
export function validatorArgs(api: CatalystApi, formData: Record<string, unknown> = {}, uiOptions?: object) {
  const errors: string[] = [];
  const field = { __errors: errors, addError: (m: string) => errors.push(m) };
  const apiHolder: ApiHolder = { get: ref => (ref.id === catalystApiRef.id ? api : undefined) as never };
  return {
    errors,
    field,
    context: {
      apiHolder,
      formData: formData as never,
      schema: {},
      ...(uiOptions ? { uiSchema: { 'ui:options': uiOptions } as never } : {}),
    },
  };
}

export const environment = (name: string, extra: Partial<EnvironmentOverview> = {}): EnvironmentOverview => ({
  name,
  organization: name.slice(0, name.lastIndexOf('-')),
  envType: name.slice(name.lastIndexOf('-') + 1),
  placement: { preset: 'small', regions: [] },
  policy: { rules: [] },
  governed: false,
  repository: `file:///git/${name}.git`,
  applicationCount: 0,
  canInstall: true,
  ...extra,
});

export const application = (
  name: string,
  blueprint: string,
  environmentName = 'acme-dev',
  version = '1.6.0',
): ApplicationSummary => ({
  name,
  environment: environmentName,
  organization: 'acme',
  blueprint,
  version,
  source: 'catalog',
  placement: { mode: 'single-region', regions: [] },
  dependencies: [],
  dependents: [],
  paused: false,
});
