import { fireEvent, screen } from '@testing-library/react';
import { fakeCatalystApi, fieldProps, renderField, validatorArgs } from '../__testUtils__/fields';
import { CatalystPassword, catalystPasswordValidation } from './CatalystPassword';

describe('CatalystPassword', () => {
  it('is masked until the user asks to see it', async () => {
    await renderField(
      <CatalystPassword {...fieldProps<string>({ formData: 's3cret-value', schema: { title: 'API key' } })} />,
      fakeCatalystApi({}),
    );
    const input = screen.getByLabelText('API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('s3cret-value');
    fireEvent.click(screen.getByRole('button', { name: 'Show API key' }));
    expect(input.type).toBe('text');
    fireEvent.click(screen.getByRole('button', { name: 'Hide API key' }));
    expect(input.type).toBe('password');
  });

  it('passes what is typed', async () => {
    const p = fieldProps<string>({ schema: { title: 'API key' } });
    await renderField(<CatalystPassword {...p} />, fakeCatalystApi({}));
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'abc' } });
    expect(p.onChange).toHaveBeenLastCalledWith('abc');
  });

  it('clears to undefined, so an emptied optional secret is left out rather than sent as ""', async () => {
    const p = fieldProps<string>({ formData: 'abc', schema: { title: 'API key' } });
    await renderField(<CatalystPassword {...p} />, fakeCatalystApi({}));
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: '' } });
    expect(p.onChange).toHaveBeenCalledTimes(1);
    expect(p.onChange.mock.calls[0]).toEqual([undefined]);
  });

  it('warns about a hidden leading or trailing space', async () => {
    await renderField(
      <CatalystPassword {...fieldProps<string>({ formData: ' pasted', schema: { title: 'API key' } })} />,
      fakeCatalystApi({}),
    );
    expect(screen.getByText('The value starts or ends with a space (hidden in a masked field)')).toBeInTheDocument();
  });

  it.each([
    ['correct horse battery staple', []],
    ['trailing ', ['The value starts or ends with a space (hidden in a masked field)']],
  ])('validation: %j → %j', (value, expected) => {
    const { field, context, errors } = validatorArgs(fakeCatalystApi({}));
    catalystPasswordValidation(value, field as never, context);
    expect(errors).toEqual(expected);
  });
});
