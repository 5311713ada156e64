import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import { parseEnvironmentName } from '@internal/plugin-catalyst-common';
import { environment, fakeCatalystApi, fieldProps, renderField, validatorArgs } from '../__testUtils__/fields';
import {
  CatalystEnvironmentNamePreview,
  catalystEnvironmentNamePreviewValidation,
  previewName,
} from './CatalystEnvironmentNamePreview';

describe('CatalystEnvironmentNamePreview', () => {
  it.each([
    [{ organization: 'group:default/acme', envType: 'uat' }, 'acme-uat'],
    [{ organization: 'acme', envType: 'dev' }, 'acme-dev'],
    [{ organization: 'group:default/acme' }, undefined],
    [{}, undefined],
  ])('names %j → %s', (data, expected) => {
    expect(previewName(data)).toBe(expected);
  });

  it('shows the pattern until the Organization and the type are chosen', async () => {
    const p = fieldProps<string>({ wizard: { organization: 'group:default/acme' } });
    await renderField(<CatalystEnvironmentNamePreview {...p} />, fakeCatalystApi({}));
    expect(screen.getByTestId('environment-name-preview')).toHaveTextContent('{org}-{env_type}');
    expect(screen.getByText('Choose the Organization and the type')).toBeInTheDocument();
    expect(p.onChange).not.toHaveBeenCalled();
  });

  it('shows the name and keeps it as the value once both are chosen', async () => {
    const p = fieldProps<string>({ wizard: { organization: 'group:default/acme', envType: 'uat' } });
    await renderField(<CatalystEnvironmentNamePreview {...p} />, fakeCatalystApi({}));
    expect(screen.getByTestId('environment-name-preview')).toHaveTextContent('acme-uat');
    expect(p.onChange).toHaveBeenCalledWith('acme-uat');
  });

  it('says why a name cannot be an Environment name', async () => {
    const p = fieldProps<string>({ wizard: { organization: 'Acme Corp', envType: 'uat' } });
    await renderField(<CatalystEnvironmentNamePreview {...p} />, fakeCatalystApi({}));
    const parsed = parseEnvironmentName('Acme Corp-uat', 'name');
    if (parsed.ok) throw new Error('expected an invalid name');
    expect(screen.getByText(parsed.errors[0].message)).toBeInTheDocument();
  });

  describe('validation', () => {
    const notFound = async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({ error: { name: 'NotFoundError', message: 'no' }, response: { statusCode: 404 } }),
          {
            status: 404,
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
    };
    it('accepts a name that is free', async () => {
      const { field, context, errors } = validatorArgs(fakeCatalystApi({ getEnvironment: notFound }));
      await catalystEnvironmentNamePreviewValidation('acme-uat', field as never, context);
      expect(errors).toEqual([]);
    });
    it('refuses an Environment that exists', async () => {
      const { field, context, errors } = validatorArgs(
        fakeCatalystApi({ getEnvironment: async () => environment('acme-dev') }),
      );
      await catalystEnvironmentNamePreviewValidation('acme-dev', field as never, context);
      expect(errors).toEqual(['acme-dev already exists: an Organization has one Environment per type']);
    });
    it('refuses an unknown env type', async () => {
      const { field, context, errors } = validatorArgs(fakeCatalystApi({}));
      await catalystEnvironmentNamePreviewValidation('acme-qa', field as never, context);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/qa/);
    });
  });
});
